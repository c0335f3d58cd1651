import type { User } from '../../shared/db.js';
import type { OkResponse } from '../shared/responses.js';
import type { AuthResponse, TokensResponse } from './schemas.js';

type Tokens = Omit<TokensResponse, 'ok'>;

/** Signup and login: the user and a token pair. */
export function authView(
  user: Pick<User, 'id' | 'email' | 'createdAt'>,
  tokens: Tokens,
): AuthResponse {
  return {
    ok: true,
    user: { id: user.id, email: user.email, createdAt: user.createdAt.toISOString() },
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
  };
}

/** A rotated (or new) token pair. */
export function tokensView(tokens: Tokens): TokensResponse {
  return {
    ok: true,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
  };
}

/** An accepted or completed request with nothing more to say. */
export function okView(): OkResponse {
  return { ok: true };
}
