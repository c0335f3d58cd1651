import { LRUCache } from 'lru-cache';
import { prepared, type PreparedStatement, type PrismaClient } from '../../shared/db.js';
import type { PrincipalFeed } from './principal-feed.js';

export interface PrincipalFacts {
  sessionVersion: number;
  role: 'USER' | 'ADMIN';
}

/**
 * How long a sessionVersion may be trusted when no announcement could reach this process,
 * counted from the moment it was read (not from when the read returned): under a second, so a
 * token revoked through another API process stops working within one second even then.
 */
const UNANNOUNCED_TTL_MS = 900;

/** Read for authenticated requests the cache cannot answer: a named prepared statement. */
const READ: PreparedStatement = {
  name: 'sg_principal_v1',
  text: 'SELECT "sessionVersion", "role"::text AS "role" FROM "User" WHERE "id" = $1::text',
};

/**
 * The sessionVersion and role of recently seen users, so an authenticated request costs no
 * database round trip. An entry read while the revocation feed was live throughout is trusted for
 * `ttlMs` (AUTH_CACHE_TTL): every process that ends a user's tokens announces it, and each
 * process drops the user at once. Without a live feed (Redis down, reconnecting, or no feed) an
 * entry is trusted for under a second, and every entry is dropped the moment the feed is lost.
 * This process also drops a user at once when it ends the tokens itself. Unknown users are not
 * cached.
 */
export function createPrincipalCache(
  prisma: PrismaClient,
  options: { ttlMs: number; feed?: PrincipalFeed | null },
) {
  const feed = options.feed ?? null;
  const read = async (userId: string): Promise<PrincipalFacts | null> =>
    (await prepared<PrincipalFacts>(prisma, READ, [userId]))[0] ?? null;
  const cache = new LRUCache<string, PrincipalFacts>({
    max: 100_000,
    ttl: UNANNOUNCED_TTL_MS,
    fetchMethod: async (userId, _stale, { options: entry }) => {
      const startedAt = performance.now();
      const announced = feed?.live === true ? feed.epoch : null;
      const facts = (await read(userId)) ?? undefined;
      // Announcements reached this process during the whole read, and will from now on.
      const trusted = announced !== null && feed?.live === true && feed.epoch === announced;
      const ttl = trusted ? options.ttlMs : UNANNOUNCED_TTL_MS;
      // A slow read (a busy pool) leaves less of the time to trust it.
      entry.ttl = Math.max(1, Math.floor(ttl - (performance.now() - startedAt)));
      return facts;
    },
  });
  feed?.listen({
    // A delete also aborts a read in flight for the user: `get` then reads afresh.
    onChanged: (userId) => cache.delete(userId),
    onLost: () => {
      cache.clear();
    },
  });
  return {
    /** True while announcements reach this process, so entries may be trusted for `ttlMs`. */
    get announced(): boolean {
      return feed?.live === true;
    },
    get: async (userId: string): Promise<PrincipalFacts | null> => {
      try {
        return (await cache.fetch(userId)) ?? null;
      } catch {
        // The fetch was aborted by a revocation (here or announced) while it ran: read afresh.
        return read(userId);
      }
    },
    /**
     * Called after this process changed the user's sessionVersion (committed): drops the user
     * here at once and announces it to every other API process.
     */
    forget: (userId: string): void => {
      cache.delete(userId);
      feed?.announce(userId);
    },
  };
}
export type PrincipalCache = ReturnType<typeof createPrincipalCache>;
