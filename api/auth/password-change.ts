import type { Config } from '../../shared/config.js';
import type { PrismaClient } from '../../shared/db.js';
import { unauthorized } from '../../shared/errors.js';
import type { PrincipalCache } from '../middleware/principals.js';
import { replacePassword } from './credentials.js';
import { checkPassword, hashPassword } from './passwords.js';
import { issueRefreshToken } from './refresh-tokens.js';
import type { PasswordChangeInput } from './schemas.js';
import type { TokenPair } from './service.js';
import { signAccessToken } from './tokens.js';

interface Deps {
  prisma: PrismaClient;
  config: Config;
  principals?: PrincipalCache;
}

const wrongPassword = () => unauthorized('AUTH_INVALID', 'The current password is wrong');

/**
 * Changes the caller's password after checking the current one. Every token of the user issued
 * before stops working (sessionVersion + 1, refresh tokens revoked, reset links void); the answer
 * is a new pair in a new refresh family, issued in the same transaction so the revocation cannot
 * reach it.
 */
export async function changePassword(
  deps: Deps,
  userId: string,
  /** The stored hash as the caller's request read it (the transaction checks it is still current). */
  currentHash: string,
  input: PasswordChangeInput,
): Promise<TokenPair> {
  const { prisma, config } = deps;
  if (!(await checkPassword(input.currentPassword, currentHash, config.BCRYPT_ROUNDS))) {
    throw wrongPassword();
  }
  const passwordHash = await hashPassword(input.newPassword, config.BCRYPT_ROUNDS);
  const issued = await prisma.$transaction(async (tx) => {
    const facts = await replacePassword(tx, userId, passwordHash, currentHash);
    // Changed meanwhile (another change, a reset): the password checked is no longer current.
    if (!facts) throw wrongPassword();
    const refresh = await issueRefreshToken(tx, config, userId);
    return { ...facts, refreshToken: refresh.token };
  });
  deps.principals?.forget(userId);
  return {
    accessToken: signAccessToken(config, {
      sub: userId,
      sv: issued.sessionVersion,
      role: issued.role,
    }),
    refreshToken: issued.refreshToken,
    expiresIn: config.ACCESS_TOKEN_TTL,
  };
}
