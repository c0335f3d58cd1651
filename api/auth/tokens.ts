import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Config } from '../../shared/config.js';
import { unauthorized } from '../../shared/errors.js';

/** The only algorithm we sign with and the only one verify accepts (no `alg: none`, no RS/HS confusion). */
const ALG = 'HS256';

export interface AccessClaims {
  sub: string;
  sv: number;
  role: 'USER' | 'ADMIN';
}

type TokenConfig = Pick<Config, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'ACCESS_TOKEN_TTL'>;

const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(config: TokenConfig, claims: AccessClaims): Promise<string> {
  return new SignJWT({ sv: claims.sv, role: claims.role })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${config.ACCESS_TOKEN_TTL}s`)
    .sign(keyFor(config.JWT_SECRET));
}

/** Verifies signature, algorithm, issuer, audience and expiry; throws 401 AUTH_INVALID otherwise. */
export async function verifyAccessToken(config: TokenConfig, token: string): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, keyFor(config.JWT_SECRET), {
      algorithms: [ALG],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'sv'],
    });
    const { sub, sv, role } = payload;
    if (
      typeof sub !== 'string' ||
      typeof sv !== 'number' ||
      (role !== 'USER' && role !== 'ADMIN')
    ) {
      throw unauthorized('AUTH_INVALID', 'Malformed access token');
    }
    return { sub, sv, role };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired)
      throw unauthorized('AUTH_INVALID', 'Access token expired');
    if (err instanceof joseErrors.JOSEError)
      throw unauthorized('AUTH_INVALID', 'Invalid access token');
    throw err;
  }
}

/** A fresh opaque refresh token: 256 random bits, base64url. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Refresh tokens are stored only as their SHA-256 (they are random, so no salt is needed). */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
