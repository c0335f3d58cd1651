import { LRUCache } from 'lru-cache';
import { prepared, type PreparedStatement, type PrismaClient } from '../../shared/db.js';
import { principalKey, type PrincipalChanges } from './principal-changes.js';

export interface PrincipalFacts {
  sessionVersion: number;
  role: 'USER' | 'ADMIN';
}

/**
 * The contract: a token ended anywhere stops working everywhere within one second. A cached
 * entry is used only when either the last successful poll of principal changes was sent less
 * than this long ago (every change committed before it was applied to the cache, and a later one
 * is younger than this), or the entry itself was read less than this long ago.
 */
const FRESH_MS = 900;

/** Read for authenticated requests the cache cannot answer: a named prepared statement. */
const READ: PreparedStatement = {
  name: 'sg_principal_v1',
  text: 'SELECT "sessionVersion", "role"::text AS "role" FROM "User" WHERE "id" = $1::text',
};

interface Entry {
  facts: PrincipalFacts;
  /** performance.now() when the read was sent. */
  readAt: number;
}

/**
 * The sessionVersion and role of recently seen users, so an authenticated request usually costs
 * no database round trip. Entries live up to `ttlMs` (AUTH_CACHE_TTL) while `changes` keeps
 * polling: each change of a user's sessionVersion or role, and each deleted user, drops the
 * user from every process's cache within a poll (250 ms), whoever made the change. If polling
 * stalls, entries older than 0.9 s are read again. This process also drops a user at once when
 * it ends the tokens itself (`forget`). Unknown users are not cached.
 */
export function createPrincipalCache(
  prisma: PrismaClient,
  options: { ttlMs: number; changes?: PrincipalChanges | null },
) {
  const changes = options.changes ?? null;
  const read = async (userId: string): Promise<PrincipalFacts | null> =>
    (await prepared<PrincipalFacts>(prisma, READ, [userId]))[0] ?? null;
  const cache = new LRUCache<string, Entry, string>({
    max: 100_000,
    ttl: options.ttlMs,
    fetchMethod: async (_key, _stale, { context: userId }) => {
      const readAt = performance.now();
      const facts = await read(userId);
      return facts ? { facts, readAt } : undefined;
    },
  });
  changes?.listen({
    // Both also abort reads in flight: `get` then reads afresh.
    onChanged: (key) => cache.delete(key),
    onRestart: () => {
      cache.clear();
    },
  });
  const usable = (entry: Entry, now: number) =>
    now - entry.readAt < FRESH_MS || (changes !== null && now - changes.freshSince < FRESH_MS);
  return {
    /** True while changes are polled in time, so entries may be trusted for `ttlMs`. */
    get polling(): boolean {
      return changes !== null && performance.now() - changes.freshSince < FRESH_MS;
    },
    get: async (userId: string): Promise<PrincipalFacts | null> => {
      const key = principalKey(userId);
      // Judged at arrival: a read this request waits for is fresh whatever it takes.
      const arrived = performance.now();
      try {
        let entry = await cache.fetch(key, { context: userId });
        if (entry && !usable(entry, arrived)) {
          cache.delete(key);
          entry = await cache.fetch(key, { context: userId });
        }
        return entry?.facts ?? null;
      } catch {
        // A read aborted by a change of the user (or a restart) while it ran — for this request
        // or one it joined — or a failed read: read once more, uncached (a real failure repeats).
        return read(userId);
      }
    },
    /** Called after this process changed the user's sessionVersion: dropped here at once. */
    forget: (userId: string): void => {
      cache.delete(principalKey(userId));
    },
  };
}
export type PrincipalCache = ReturnType<typeof createPrincipalCache>;
