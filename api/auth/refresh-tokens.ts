import { randomUUID } from 'node:crypto';
import type { Config } from '../../shared/config.js';
import type { PrismaClient } from '../../shared/db.js';
import { unauthorized } from '../../shared/errors.js';
import { hashRefreshToken, newRefreshToken } from './tokens.js';

type RefreshConfig = Pick<Config, 'REFRESH_TOKEN_TTL'>;

/** Issues a refresh token in a family (a new family at login/signup, the same one on rotation). */
export async function issueRefreshToken(
  prisma: Pick<PrismaClient, 'refreshToken'>,
  config: RefreshConfig,
  userId: string,
  familyId: string = randomUUID(),
): Promise<{ token: string; id: string }> {
  const token = newRefreshToken();
  const row = await prisma.refreshToken.create({
    data: {
      userId,
      familyId,
      tokenHash: hashRefreshToken(token),
      expiresAt: new Date(Date.now() + config.REFRESH_TOKEN_TTL * 1000),
    },
  });
  return { token, id: row.id };
}

/**
 * Rotates a refresh token: the presented one is retired and a new one in the same family is issued.
 * Presenting a token that was already rotated is reuse (a stolen copy or a replay): the whole
 * family is revoked. The conditional update makes two concurrent rotations of one token yield
 * exactly one winner; the loser is treated as reuse.
 */
export async function rotateRefreshToken(
  prisma: PrismaClient,
  config: RefreshConfig,
  presented: string,
): Promise<{ userId: string; token: string; sessionVersion: number; role: 'USER' | 'ADMIN' }> {
  const row = await prisma.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(presented) },
  });
  if (!row) throw unauthorized('AUTH_REFRESH_INVALID', 'Unknown refresh token');
  if (row.replacedBy) return revokeFamilyForReuse(prisma, row.familyId);
  if (row.revokedAt) throw unauthorized('AUTH_REFRESH_INVALID', 'Refresh token revoked');
  if (row.expiresAt <= new Date())
    throw unauthorized('AUTH_REFRESH_EXPIRED', 'Refresh token expired');

  const rotated = await prisma.$transaction(async (tx) => {
    // Logout and revoke update the user row first; sharing its lock here orders a racing revoke
    // before or after this rotation, so it never misses the token issued below.
    // The access token is signed with the sessionVersion read here, under the same lock.
    const [user] = await tx.$queryRaw<{ sessionVersion: number; role: 'USER' | 'ADMIN' }[]>`
      SELECT "sessionVersion", "role" FROM "User" WHERE "id" = ${row.userId} FOR SHARE`;
    if (!user) return 'revoked' as const;
    const next = await issueRefreshToken(tx, config, row.userId, row.familyId);
    const claimed = await tx.refreshToken.updateMany({
      where: { id: row.id, revokedAt: null, replacedBy: null },
      data: { revokedAt: new Date(), replacedBy: next.id },
    });
    if (claimed.count === 0) {
      await tx.refreshToken.delete({ where: { id: next.id } });
      // Lost the race: to another rotation (reuse) or to a logout/revoke (simply revoked).
      const now = await tx.refreshToken.findUnique({ where: { id: row.id } });
      return now?.replacedBy ? null : 'revoked';
    }
    return { ...next, ...user };
  });
  if (rotated === 'revoked') throw unauthorized('AUTH_REFRESH_INVALID', 'Refresh token revoked');
  if (!rotated) return revokeFamilyForReuse(prisma, row.familyId);
  return {
    userId: row.userId,
    token: rotated.token,
    sessionVersion: rotated.sessionVersion,
    role: rotated.role,
  };
}

async function revokeFamilyForReuse(prisma: PrismaClient, familyId: string): Promise<never> {
  await revokeFamily(prisma, familyId);
  throw unauthorized('AUTH_REFRESH_REUSED', 'Refresh token reuse detected; please sign in again');
}

export async function revokeFamily(
  prisma: Pick<PrismaClient, 'refreshToken'>,
  familyId: string,
): Promise<void> {
  await prisma.refreshToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
}
