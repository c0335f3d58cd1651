import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../../shared/config.js';
import type { PrismaClient } from '../../shared/db.js';
import { badRequest } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Mailer } from '../../shared/mail/mailer.js';
import { passwordResetMail, resetLink } from '../../shared/mail/templates.js';
import type { PrincipalCache } from '../middleware/principals.js';
import { replacePassword } from './credentials.js';
import { hashPassword } from './passwords.js';
import type { ResetConfirmInput } from './schemas.js';

/** How long an emailed reset link works (API.md). */
export const RESET_TOKEN_TTL_MINUTES = 30;

/** Only the SHA-256 of a reset token is stored (it is random, so no salt is needed). */
export function hashResetToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const invalidToken = () =>
  badRequest('RESET_TOKEN_INVALID', 'This reset link is unknown, used or expired');

/**
 * Emails a reset link to the account named by `email`, if there is one. Runs after the 202 was
 * sent (background tasks), so neither the answer nor its timing tells whether the account exists.
 * The token (256 random bits) is stored as its SHA-256, expiring RESET_TOKEN_TTL_MINUTES after the
 * database's now; the same statement drops the account's used-up and expired tokens. Throws when
 * the database or the mail server fails (the task runner logs it).
 */
export async function sendPasswordReset(
  deps: { prisma: PrismaClient; config: Config; mailer: Mailer; logger: Logger },
  email: string,
): Promise<void> {
  const { prisma, config, mailer, logger } = deps;
  if (!mailer.enabled || !config.APP_RESET_URL) {
    logger.warn('password reset requested while mail is off (SMTP_URL unset): nothing sent');
    return;
  }
  const token = randomBytes(32).toString('base64url');
  const [row] = await prisma.$queryRaw<{ userId: string; email: string }[]>`
    WITH utc AS (
      -- Timestamps are UTC timestamp(3), as Prisma writes them, whatever the session's TimeZone.
      SELECT (now() AT TIME ZONE 'UTC')::timestamp(3) AS now
    ), account AS (
      SELECT "id", "email" FROM "User" WHERE "email" = ${email}
    ), stale AS (
      DELETE FROM "PasswordResetToken" t USING account, utc
      WHERE t."userId" = account."id" AND t."expiresAt" <= utc.now
    ), created AS (
      INSERT INTO "PasswordResetToken" ("id", "userId", "tokenHash", "expiresAt", "createdAt")
      SELECT ${randomUUID()}, account."id", ${hashResetToken(token)},
        utc.now + make_interval(mins => ${RESET_TOKEN_TTL_MINUTES}::int), utc.now
      FROM account, utc
      RETURNING "userId"
    )
    SELECT created."userId", account."email" FROM created JOIN account ON account."id" = created."userId"`;
  if (!row) return;
  await mailer.send({
    to: row.email,
    ...passwordResetMail(resetLink(config.APP_RESET_URL, token), RESET_TOKEN_TTL_MINUTES),
  });
  logger.info({ userId: row.userId }, 'password-reset email sent');
}

/**
 * Sets a new password with a reset token: the token is used up atomically (of two confirmations
 * racing exactly one wins), and like a password change it ends every token of the user and every
 * other reset link. Unknown, used and expired tokens answer 400 RESET_TOKEN_INVALID.
 */
export async function confirmPasswordReset(
  deps: { prisma: PrismaClient; config: Config; principals?: PrincipalCache },
  input: ResetConfirmInput,
): Promise<void> {
  const { prisma, config } = deps;
  const tokenHash = hashResetToken(input.token);
  // A cheap look first, so a wrong token never costs a bcrypt hash.
  const [found] = await prisma.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "PasswordResetToken"
    WHERE "tokenHash" = ${tokenHash} AND "usedAt" IS NULL
      AND "expiresAt" > now() AT TIME ZONE 'UTC'`;
  if (!found) throw invalidToken();
  const { userId } = found;
  const passwordHash = await hashPassword(input.newPassword, config.BCRYPT_ROUNDS);
  await prisma.$transaction(async (tx) => {
    // The user row first, as every credential change locks it, then the token.
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${userId} FOR NO KEY UPDATE`;
    const used = await tx.$queryRaw<{ userId: string }[]>`
      UPDATE "PasswordResetToken" SET "usedAt" = now() AT TIME ZONE 'UTC'
      WHERE "tokenHash" = ${tokenHash} AND "userId" = ${userId} AND "usedAt" IS NULL
        AND "expiresAt" > now() AT TIME ZONE 'UTC'
      RETURNING "userId"`;
    if (used.length === 0) throw invalidToken();
    if (!(await replacePassword(tx, userId, passwordHash))) throw invalidToken();
  });
  deps.principals?.forget(userId);
}
