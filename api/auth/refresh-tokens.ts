import { randomUUID } from 'node:crypto';
import type { Config } from '../../shared/config.js';
import type { PrismaClient } from '../../shared/db.js';
import { unauthorized } from '../../shared/errors.js';
import type { PrincipalCache } from '../middleware/principals.js';
import { hashRefreshToken, newRefreshToken, successorRefreshToken } from './tokens.js';

type RefreshConfig = Pick<Config, 'REFRESH_TOKEN_TTL' | 'REFRESH_REUSE_GRACE_SEC' | 'JWT_SECRET'>;

/** Issues a refresh token in a family (a new family at login/signup, the same one on rotation). */
export async function issueRefreshToken(
  prisma: Pick<PrismaClient, 'refreshToken'>,
  config: Pick<Config, 'REFRESH_TOKEN_TTL'>,
  userId: string,
  familyId: string = randomUUID(),
  token: string = newRefreshToken(),
): Promise<{ token: string; id: string }> {
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

export interface Rotated {
  userId: string;
  token: string;
  sessionVersion: number;
  role: 'USER' | 'ADMIN';
}

type Outcome =
  | { kind: 'rotated'; token: string; sessionVersion: number; role: 'USER' | 'ADMIN' }
  | { kind: 'revoked' | 'expired' | 'reused' };

/**
 * Rotates a refresh token: the presented one is retired and its successor in the same family is
 * issued. The same token presented again within REFRESH_REUSE_GRACE_SEC of its rotation (a
 * retry, or two requests refreshing at once) gets the same successor while the family lives;
 * later it is reuse (a stolen copy or a replay): the family is revoked and the user's
 * sessionVersion bumped, so its access tokens end too.
 */
export async function rotateRefreshToken(
  deps: { prisma: PrismaClient; config: RefreshConfig; principals?: PrincipalCache },
  presented: string,
): Promise<Rotated> {
  const { prisma, config } = deps;
  const row = await prisma.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(presented) },
  });
  if (!row) throw unauthorized('AUTH_REFRESH_INVALID', 'Unknown refresh token');
  const successor = successorRefreshToken(config.JWT_SECRET, presented);

  const outcome = await prisma.$transaction(async (tx): Promise<Outcome> => {
    // Logout and revoke update the user row first; sharing its lock here orders a racing revoke
    // before or after this rotation, so it never misses the token issued below.
    // The access token is signed with the sessionVersion read here, under the same lock.
    const [user] = await tx.$queryRaw<{ sessionVersion: number; role: 'USER' | 'ADMIN' }[]>`
      SELECT "sessionVersion", "role" FROM "User" WHERE "id" = ${row.userId} FOR SHARE`;
    if (!user) return { kind: 'revoked' };
    // Concurrent rotations of one token queue here; each sees what the one before it did.
    await tx.$queryRaw`SELECT 1 FROM "RefreshToken" WHERE "id" = ${row.id} FOR UPDATE`;
    const current = await tx.refreshToken.findUnique({ where: { id: row.id } });
    if (!current) return { kind: 'revoked' };
    if (current.replacedBy) {
      const rotatedAt = current.revokedAt?.getTime() ?? 0;
      if (Date.now() - rotatedAt > config.REFRESH_REUSE_GRACE_SEC * 1000) return { kind: 'reused' };
      // A retry within the grace window: the successor already issued, unless the family was
      // revoked since (logout, revoke, reuse) or the secret changed under it.
      const next = await tx.refreshToken.findUnique({ where: { id: current.replacedBy } });
      const live = await tx.refreshToken.count({
        where: { familyId: row.familyId, revokedAt: null },
      });
      if (next?.tokenHash !== hashRefreshToken(successor) || live === 0) {
        return { kind: 'revoked' };
      }
      return { kind: 'rotated', token: successor, ...user };
    }
    if (current.revokedAt) return { kind: 'revoked' };
    if (current.expiresAt <= new Date()) return { kind: 'expired' };
    const next = await issueRefreshToken(tx, config, row.userId, row.familyId, successor);
    await tx.refreshToken.update({
      where: { id: row.id },
      data: { revokedAt: new Date(), replacedBy: next.id },
    });
    return { kind: 'rotated', token: successor, ...user };
  });

  switch (outcome.kind) {
    case 'rotated':
      return {
        userId: row.userId,
        token: outcome.token,
        sessionVersion: outcome.sessionVersion,
        role: outcome.role,
      };
    case 'revoked':
      throw unauthorized('AUTH_REFRESH_INVALID', 'Refresh token revoked');
    case 'expired':
      throw unauthorized('AUTH_REFRESH_EXPIRED', 'Refresh token expired');
    case 'reused':
      await revokeForReuse(prisma, row.userId, row.familyId);
      deps.principals?.forget(row.userId);
      throw unauthorized(
        'AUTH_REFRESH_REUSED',
        'Refresh token reuse detected; please sign in again',
      );
  }
}

/** Reuse: the family is revoked and every access token of the user ends (sessionVersion +1). */
async function revokeForReuse(prisma: PrismaClient, userId: string, familyId: string) {
  await prisma.$transaction(async (tx) => {
    // The user row first, like logout and revoke, so the locks are always taken in one order.
    await tx.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    await revokeFamily(tx, familyId);
  });
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
