import { createHmac } from 'node:crypto';

/**
 * Stored password hashes: `$bcrypt-sha256$` + a bcrypt hash of the password's HMAC-SHA256 (keyed
 * with the bcrypt salt, base64: 44 bytes). bcrypt reads at most 72 bytes, so hashing the whole
 * password first makes two passwords that differ anywhere different (API.md: "passwords count
 * whole"); keying with the salt means a leaked list of plain SHA-256 digests cannot be tested
 * against our hashes. Hashes without the prefix are plain bcrypt from before (still accepted,
 * and replaced at the next successful login).
 */
export const PREHASHED_PREFIX = '$bcrypt-sha256$';

/** A bcrypt salt string ("$2b$12$" + 22 characters) is the first 29 characters of a hash. */
export const BCRYPT_SALT_LENGTH = 29;

export function prehash(password: string, salt: string): string {
  return createHmac('sha256', salt).update(password, 'utf8').digest('base64');
}

export function isLegacyHash(hash: string): boolean {
  return !hash.startsWith(PREHASHED_PREFIX);
}
