import { LRUCache } from 'lru-cache';
import type { PrismaClient } from '../../shared/db.js';

export interface PrincipalFacts {
  sessionVersion: number;
  role: 'USER' | 'ADMIN';
}

/**
 * Lifetime of a cached sessionVersion. Under a second, so a token revoked through another API
 * process stops working within one second; this process forgets a user at once on logout/revoke.
 */
const TTL_MS = 900;

/**
 * The sessionVersion and role of recently seen users, so an authenticated request costs no
 * database round trip while its user is busy. Unknown users are not cached.
 */
export function createPrincipalCache(prisma: PrismaClient) {
  const cache = new LRUCache<string, PrincipalFacts>({
    max: 100_000,
    ttl: TTL_MS,
    fetchMethod: async (userId) =>
      (await prisma.user.findUnique({
        where: { id: userId },
        select: { sessionVersion: true, role: true },
      })) ?? undefined,
  });
  return {
    get: async (userId: string): Promise<PrincipalFacts | null> =>
      (await cache.fetch(userId)) ?? null,
    /** Called after this process changed the user's sessionVersion. */
    forget: (userId: string): void => {
      cache.delete(userId);
    },
  };
}
export type PrincipalCache = ReturnType<typeof createPrincipalCache>;
