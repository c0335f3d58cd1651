import type { PrincipalCache } from '../middleware/principals.js';
import type { Config } from '../../shared/config.js';
import type { PrismaClient, User } from '../../shared/db.js';
import { forbidden, notFound, unauthorized } from '../../shared/errors.js';
import { bootstrapUser } from '../../shared/users/bootstrap.js';
import { isLegacyHash } from './password-format.js';
import { checkPassword, hashPassword } from './passwords.js';
import { issueRefreshToken, revokeFamily, rotateRefreshToken } from './refresh-tokens.js';
import { hashRefreshToken, signAccessToken } from './tokens.js';
import type { LoginInput, SignupInput } from './schemas.js';

interface Deps {
  prisma: PrismaClient;
  config: Config;
  /** Forgotten after a sessionVersion bump, so this process ends the tokens at once. */
  principals?: PrincipalCache;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A new access token and a refresh token opening a new family (signup, login). */
async function tokensFor({ prisma, config }: Deps, user: User): Promise<TokenPair> {
  const accessToken = signAccessToken(config, {
    sub: user.id,
    sv: user.sessionVersion,
    role: user.role,
  });
  const refresh = await issueRefreshToken(prisma, config, user.id);
  return { accessToken, refreshToken: refresh.token, expiresIn: config.ACCESS_TOKEN_TTL };
}

export async function signup(deps: Deps, input: SignupInput) {
  const passwordHash = await hashPassword(input.password, deps.config.BCRYPT_ROUNDS);
  const user = await bootstrapUser(deps.prisma, { ...input, passwordHash });
  return { user, ...(await tokensFor(deps, user)) };
}

/** Unknown email and wrong password answer the same 401 after the same amount of work. */
export async function login(deps: Deps, input: LoginInput) {
  const user = await deps.prisma.user.findUnique({ where: { email: input.email } });
  const ok = await checkPassword(
    input.password,
    user?.passwordHash ?? null,
    deps.config.BCRYPT_ROUNDS,
  );
  if (!user || !ok) throw unauthorized('AUTH_INVALID', 'Email or password is wrong');
  if (isLegacyHash(user.passwordHash)) await upgradeHash(deps, user, input.password);
  return { user, ...(await tokensFor(deps, user)) };
}

/**
 * A hash from before passwords were pre-hashed is replaced by one of the whole password, once the
 * password was just proven right; only if nobody changed it meanwhile.
 */
async function upgradeHash(deps: Deps, user: User, password: string): Promise<void> {
  const passwordHash = await hashPassword(password, deps.config.BCRYPT_ROUNDS);
  await deps.prisma.user.updateMany({
    where: { id: user.id, passwordHash: user.passwordHash },
    data: { passwordHash },
  });
}

/** Rotation (refresh-tokens.ts): within the grace window a retry gets the same successor. */
export async function refresh(deps: Deps, presented: string): Promise<TokenPair> {
  const rotated = await rotateRefreshToken(deps, presented);
  const accessToken = signAccessToken(deps.config, {
    sub: rotated.userId,
    sv: rotated.sessionVersion,
    role: rotated.role,
  });
  return { accessToken, refreshToken: rotated.token, expiresIn: deps.config.ACCESS_TOKEN_TTL };
}

/** Ends every access token of the user (sessionVersion +1) and the given refresh token's family. */
export async function logout(deps: Deps, userId: string, refreshToken?: string): Promise<void> {
  await deps.prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    if (!refreshToken) return;
    const row = await tx.refreshToken.findUnique({
      where: { tokenHash: hashRefreshToken(refreshToken) },
    });
    if (row?.userId === userId) await revokeFamily(tx, row.familyId);
  });
  deps.principals?.forget(userId);
}

/** Revokes every refresh token of a user and all its access tokens; others' only for admins. */
export async function revokeUser(
  deps: Deps,
  caller: { id: string; role: 'USER' | 'ADMIN' },
  targetId: string = caller.id,
): Promise<void> {
  if (targetId !== caller.id && caller.role !== 'ADMIN') {
    throw forbidden('Only admins can revoke another user');
  }
  await deps.prisma.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({
      where: { id: targetId },
      data: { sessionVersion: { increment: 1 } },
    });
    if (updated.count === 0) throw notFound('USER_NOT_FOUND', 'No such user');
    await tx.refreshToken.updateMany({
      where: { userId: targetId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  });
  deps.principals?.forget(targetId);
}
