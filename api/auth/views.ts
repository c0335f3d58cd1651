import type { z } from 'zod';
import type { OkSchema, TokenPairSchema } from './schemas.js';
import type { TokenPair } from './service.js';

/** A new token pair (password change). */
export function presentTokenPair(tokens: TokenPair): z.infer<typeof TokenPairSchema> {
  return {
    ok: true,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
  };
}

/** An accepted or completed request with nothing more to say. */
export function presentOk(): z.infer<typeof OkSchema> {
  return { ok: true };
}
