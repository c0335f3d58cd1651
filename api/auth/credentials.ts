import type { Tx } from '../../shared/db.js';

/**
 * Inside the caller's transaction, replaces the user's password hash and ends every way in that
 * existed: sessionVersion + 1 (access tokens), every refresh token revoked, every unused reset
 * token deleted. `expectedHash` (a password change) updates only while the hash is the one
 * just checked, so of two changes racing the second finds it replaced. The user row is updated
 * first, as logout and revoke do, so locks are always taken in one order. Returns the new
 * sessionVersion and the role, or null when no row matched.
 */
export async function replacePassword(
  tx: Tx,
  userId: string,
  passwordHash: string,
  expectedHash?: string,
): Promise<{ sessionVersion: number; role: 'USER' | 'ADMIN' } | null> {
  const changed = await tx.user.updateMany({
    where: { id: userId, ...(expectedHash === undefined ? {} : { passwordHash: expectedHash }) },
    data: { passwordHash, sessionVersion: { increment: 1 } },
  });
  if (changed.count === 0) return null;
  await tx.refreshToken.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  // Unused links die; a used one stays as the record of the reset until it expires.
  await tx.passwordResetToken.deleteMany({ where: { userId, usedAt: null } });
  return tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { sessionVersion: true, role: true },
  });
}
