import type { PrismaClient } from '../db.js';

/**
 * How long a "PrincipalChange" row is kept: far longer than any API process needs it (each polls
 * every 250 ms, and reads only rows of transactions its last poll could not see).
 */
export const PRINCIPAL_CHANGE_KEEP_MS = 10 * 60_000;

/** Deletes principal changes older than 10 minutes; returns how many. */
export async function purgePrincipalChanges(prisma: PrismaClient, now = new Date()) {
  const { count } = await prisma.principalChange.deleteMany({
    where: { at: { lt: new Date(now.getTime() - PRINCIPAL_CHANGE_KEEP_MS) } },
  });
  return count;
}
