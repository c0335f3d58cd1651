import type { PrismaClient } from '../db.js';

/**
 * How old a purge's bound must be. An API process reads a change within a poll (250 ms) of its
 * commit, and one whose polls failed for a minute starts over without it (principal-changes.ts):
 * two minutes leaves every process time to read every row this deletes.
 */
const BOUND_AGE_MS = 2 * 60_000;

/**
 * The oldest running transaction this process saw at each purge, with when: every transaction
 * below a bound had ended by then. Runs are 10 minutes apart, but a recreated schedule runs at
 * once, so the bound used is the newest one at least BOUND_AGE_MS old.
 */
let bounds: { xmin: string; at: number }[] = [];

/**
 * Deletes the principal changes of transactions that ended two or more minutes ago (as this
 * process saw them at an earlier purge); the first purge of a process only takes note. Returns
 * how many rows went.
 */
export async function purgePrincipalChanges(
  prisma: PrismaClient,
  now = Date.now(),
): Promise<number> {
  const [current] = await prisma.$queryRaw<{ xmin: string }[]>`
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS "xmin"`;
  const usable = bounds.filter((b) => b.at <= now - BOUND_AGE_MS);
  const bound = usable.at(-1);
  // Older bounds than the one used are never needed again.
  bounds = [...(bound ? [bound] : []), ...bounds.filter((b) => b.at > now - BOUND_AGE_MS)];
  if (current) bounds.push({ xmin: current.xmin, at: now });
  if (!bound) return 0;
  return prisma.$executeRaw`DELETE FROM "PrincipalChange" WHERE "xid" < ${bound.xmin}::bigint`;
}
