import { createHash } from 'node:crypto';
import type { UserKeys } from '../../shared/users/account-deletion.js';

/** Accounts appear in Redis keys only as a digest (no email addresses in the limiter's keys). */
export const accountDigest = (account: string) =>
  createHash('sha256').update(account).digest('base64url');

/**
 * Names of the limiters (rate-limit.ts) whose key is the user id alone, and of those whose key is
 * the account's digest alone: account deletion removes these keys by name.
 */
export const LIMITERS_BY_USER_ID = ['submit-user', 'read-user', 'export-user'] as const;
export const LIMITERS_BY_ACCOUNT = ['login-account', 'reset-account'] as const;

/** Characters special to Redis glob patterns (SCAN MATCH), escaped to match themselves. */
const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/**
 * The rate-limit keys in Redis that belong to one user (account deletion removes them): those
 * keyed by the user id (`…:rl:submit-user:<id>`) or the digest of the account's email
 * (`…:rl:login-account:<digest>`), named in `known`; and those keyed by the digest and a client
 * address (`…:rl:login-account-ip:<digest>:<ip>`), which only a SCAN over every limiter key
 * (`match`) finds, keeping those `owns` accepts (any key of the user, named or not). Per-address
 * keys count every account's attempts and are left alone.
 */
export function userRateLimitKeys(prefix: string, user: { id: string; email: string }): UserKeys {
  const base = `${prefix}:rl:`;
  const account = accountDigest(user.email);
  const owners = [user.id, account];
  return {
    known: [
      ...LIMITERS_BY_USER_ID.map((name) => `${base}${name}:${user.id}`),
      ...LIMITERS_BY_ACCOUNT.map((name) => `${base}${name}:${account}`),
    ],
    match: `${escapeGlob(base)}*`,
    owns: (key: string): boolean => {
      if (!key.startsWith(base)) return false;
      const rest = key.slice(base.length);
      // `<limiter name>:<key>`; limiter names hold no colon.
      const subject = rest.slice(rest.indexOf(':') + 1);
      return owners.some((o) => subject === o || subject.startsWith(`${o}:`));
    },
  };
}
