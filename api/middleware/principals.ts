import { LRUCache } from 'lru-cache';
import { prepared, type PreparedStatement, type PrismaClient } from '../../shared/db.js';

export interface PrincipalFacts {
  sessionVersion: number;
  role: 'USER' | 'ADMIN';
}

/**
 * How long a sessionVersion may be trusted, counted from the moment it was read (not from when the
 * read returned): under a second, so a token revoked through another API process stops working
 * within one second. This process forgets a user at once on logout/revoke.
 */
const TTL_MS = 900;

/** Read for most authenticated requests: a named prepared statement on Prisma's pool. */
const READ: PreparedStatement = {
  name: 'sg_principal_v1',
  text: 'SELECT "sessionVersion", "role"::text AS "role" FROM "User" WHERE "id" = $1::text',
};

/**
 * The sessionVersion and role of recently seen users, so an authenticated request costs no
 * database round trip while its user is busy. Unknown users are not cached.
 */
export function createPrincipalCache(prisma: PrismaClient) {
  const read = async (userId: string): Promise<PrincipalFacts | null> =>
    (await prepared<PrincipalFacts>(prisma, READ, [userId]))[0] ?? null;
  const cache = new LRUCache<string, PrincipalFacts>({
    max: 100_000,
    ttl: TTL_MS,
    fetchMethod: async (userId, _stale, { options }) => {
      const startedAt = performance.now();
      const facts = (await read(userId)) ?? undefined;
      // A slow read (a busy pool) leaves less of the second to trust it.
      options.ttl = Math.max(1, Math.floor(TTL_MS - (performance.now() - startedAt)));
      return facts;
    },
  });
  return {
    get: async (userId: string): Promise<PrincipalFacts | null> => {
      try {
        return (await cache.fetch(userId)) ?? null;
      } catch {
        // The fetch was aborted by `forget` (a logout/revoke while it ran): read afresh.
        return read(userId);
      }
    },
    /** Called after this process changed the user's sessionVersion. */
    forget: (userId: string): void => {
      cache.delete(userId);
    },
  };
}
export type PrincipalCache = ReturnType<typeof createPrincipalCache>;
