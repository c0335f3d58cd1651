import { createHash, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../../shared/config.js';
import { unauthorized } from '../../shared/errors.js';

/** The only algorithm we sign with and the only one verify accepts (no `alg: none`, no RS/HS confusion). */
const ALG = 'HS256';

/**
 * Seconds of clock difference forgiven on `exp` and `nbf`: the API processes that sign and
 * verify run on NTP-synchronised hosts, so a few seconds is plenty.
 */
const CLOCK_TOLERANCE_SEC = 5;

export interface AccessClaims {
  sub: string;
  sv: number;
  role: 'USER' | 'ADMIN';
}

type TokenConfig = Pick<Config, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'ACCESS_TOKEN_TTL'>;

const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** A signed access token: HS256, `sub`/`sv`/`role`, issuer, audience, `iat`, `nbf` and `exp`. */
export function signAccessToken(config: TokenConfig, claims: AccessClaims): string {
  return jwt.sign({ sv: claims.sv, role: claims.role }, keyFor(config.JWT_SECRET), {
    algorithm: ALG,
    subject: claims.sub,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    expiresIn: config.ACCESS_TOKEN_TTL,
    notBefore: 0,
  });
}

/**
 * Verifies signature, algorithm (HS256 only), issuer, audience, expiry and not-before; throws 401
 * AUTH_INVALID otherwise, also for a token without `exp` or with claims of the wrong type.
 */
export function verifyAccessToken(config: TokenConfig, token: string): AccessClaims {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, keyFor(config.JWT_SECRET), {
      algorithms: [ALG],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      clockTolerance: CLOCK_TOLERANCE_SEC,
    });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) {
      throw unauthorized('AUTH_INVALID', 'Access token expired');
    }
    if (err instanceof jwt.JsonWebTokenError) {
      throw unauthorized('AUTH_INVALID', 'Invalid access token');
    }
    throw err;
  }
  if (typeof payload === 'string') throw unauthorized('AUTH_INVALID', 'Malformed access token');
  const { sub, sv, role, exp } = payload as jwt.JwtPayload & { sv?: unknown; role?: unknown };
  if (
    typeof exp !== 'number' ||
    typeof sub !== 'string' ||
    typeof sv !== 'number' ||
    (role !== 'USER' && role !== 'ADMIN')
  ) {
    throw unauthorized('AUTH_INVALID', 'Malformed access token');
  }
  return { sub, sv, role };
}

/** A fresh opaque refresh token: 256 random bits, base64url. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The successor a refresh token rotates to: an HMAC of the presented token under a key derived
 * from JWT_SECRET. Being a function of the token, a retry of the same token can be answered with
 * the same successor without storing it (only hashes are stored); being keyed, nobody holding an
 * old token can compute the later ones of its family.
 */
export function successorRefreshToken(secret: string, presented: string): string {
  const key = createHmac('sha256', secret).update('socialgym refresh-token successor v1').digest();
  return createHmac('sha256', key).update(presented).digest('base64url');
}

/** Refresh tokens are stored only as their SHA-256 (they are random, so no salt is needed). */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
