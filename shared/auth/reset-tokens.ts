import type { PrismaClient } from '../db.js';

/** How long a used or expired reset token is kept as a record after its expiry. */
export const RESET_TOKEN_RECORD_DAYS = 7;

/**
 * Deletes password-reset tokens that expired more than `RESET_TOKEN_RECORD_DAYS` ago, used or
 * not: past expiry they can never be redeemed, and the hourly maintenance job keeps the table from
 * growing with every request nobody confirmed. Returns how many were deleted.
 */
export async function purgeExpiredResetTokens(prisma: PrismaClient, now = new Date()) {
  const before = new Date(now.getTime() - RESET_TOKEN_RECORD_DAYS * 86_400_000);
  const { count } = await prisma.passwordResetToken.deleteMany({
    where: { expiresAt: { lt: before } },
  });
  return count;
}
