import type { PrismaClient } from '../db.js';

/**
 * The oldest running transaction this process saw at its previous purge. Every transaction below
 * it had ended by then, at least one purge interval (10 minutes) ago, long before every API
 * process (polling every 250 ms; one that fell a minute behind starts over) read its rows.
 */
let previousXmin: string | null = null;

/**
 * Deletes the principal changes of transactions that ended before this process's previous purge;
 * the first purge of a process only takes note. Returns how many rows went.
 */
export async function purgePrincipalChanges(prisma: PrismaClient): Promise<number> {
  const [now] = await prisma.$queryRaw<{ xmin: string }[]>`
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS "xmin"`;
  const bound = previousXmin;
  previousXmin = now?.xmin ?? previousXmin;
  if (bound === null) return 0;
  return prisma.$executeRaw`DELETE FROM "PrincipalChange" WHERE "xid" < ${bound}::bigint`;
}
