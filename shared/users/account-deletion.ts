import { Cluster } from 'ioredis';
import type { BackgroundTasks } from '../background.js';
import { retryOnConflict } from '../db-conflict.js';
import type { PrismaClient } from '../db.js';
import type { Logger } from '../logger.js';
import { scoringJobId } from '../queue/contract.js';
import type { ScoringQueue } from '../queue/producer.js';
import type { Redis } from '../redis.js';

/**
 * Redis keys of the user: those whose names are known, and the rest — a SCAN pattern and the
 * test each key it returns must pass.
 */
export interface UserKeys {
  known: string[];
  match: string;
  owns: (key: string) => boolean;
}

export interface DeletionDeps {
  prisma: PrismaClient;
  redis: Redis;
  /** Where the user's scoring jobs wait; those not yet running are removed. */
  scoringQueue: Pick<ScoringQueue, 'remove'>;
  logger: Logger;
  /** Runs the SCAN for the user's keys after the answer. */
  background: Pick<BackgroundTasks, 'run'>;
}

export type DeletionOutcome =
  | { kind: 'deleted'; sessions: number }
  /** Already gone (a repeated request). */
  | { kind: 'missing' }
  /** The password changed after it was verified: nothing was deleted. */
  | { kind: 'password-changed' };

/**
 * Deleting a user with years of sessions can take a while; the default of 5 s would abort it
 * half-way (it rolls back, nothing is lost), so the transaction may run this long.
 */
const DELETE_TIMEOUT_MS = 60_000;
/** Runs of the transaction when Postgres aborts it for a deadlock (see deleteAccount). */
const DELETE_ATTEMPTS = 3;
/** Keys asked for per SCAN step. */
const SCAN_COUNT = 1000;

/**
 * Erases every row of a user — the only code that does (ARCHITECTURE.md, users). One
 * transaction locks the user's sessions, then the user row (FOR UPDATE), in the order the
 * worker's apply takes them (`sg_apply_session`: its session, then the user), so a deletion and an
 * apply of the same user serialise instead of deadlocking: an apply that ran first is deleted with
 * the rest, one that comes after finds its session gone ('missing') and writes nothing. A session
 * created and claimed after the sessions are locked is not among them: its apply can hold it and
 * wait for the user row while the deletion, holding the user row, waits for it — a deadlock
 * Postgres ends by aborting one side (40P01). When that is the deletion, it runs again (up to
 * DELETE_ATTEMPTS times, nothing having been written), then sees the new session too. The user
 * row's deletion cascades (every foreign key to User and to PracticeSession is ON DELETE CASCADE:
 * sessions, their messages, clips, ledger and power-up rows; wallet, stats, refresh and reset
 * tokens, idempotency keys, mission progress). `passwordHash` is the hash the caller verified the
 * password against: if it changed since, nothing is deleted.
 *
 * After the commit, best effort (the rows are gone whatever Redis says): the scoring jobs of the
 * user's unfinished sessions are removed from the queue (a job already running finishes as a
 * no-op), and the user's rate-limit keys whose names are known are removed (`keys.known`). The
 * others (keyed by client address too) are found by a SCAN of every limiter key, which walks the
 * whole keyspace: it runs in the background, so the answer does not wait for it. Forgetting
 * cached principals is the API's part.
 */
export async function deleteAccount(
  deps: DeletionDeps,
  userId: string,
  opts: { passwordHash: string; keys: UserKeys },
): Promise<DeletionOutcome> {
  const outcome = await retryOnConflict(DELETE_ATTEMPTS, () =>
    deleteRows(deps.prisma, userId, opts.passwordHash),
  );
  if (outcome.kind !== 'deleted') return outcome;
  const log = deps.logger.child({ userId });
  try {
    // remove() leaves a job that is running (locked) alone; it then finds no session.
    for (const { id } of outcome.unfinished) await deps.scoringQueue.remove(scoringJobId(id));
  } catch (err) {
    log.warn({ err }, 'account deleted; could not remove its queued jobs (they will be no-ops)');
  }
  try {
    if (opts.keys.known.length > 0) await deps.redis.unlink(...opts.keys.known);
  } catch (err) {
    log.warn({ err }, 'account deleted; could not remove its rate-limit keys (they expire)');
  }
  deps.background.run('account key sweep', async () => {
    try {
      await sweepKeys(deps.redis, opts.keys);
    } catch (err) {
      log.warn({ err }, 'account deleted; could not sweep its rate-limit keys (they expire)');
    }
  });
  log.info({ sessions: outcome.sessions }, 'account deleted');
  return { kind: 'deleted', sessions: outcome.sessions };
}

/** The transaction of deleteAccount: locks the sessions, then the user row, and deletes it. */
function deleteRows(prisma: PrismaClient, userId: string, passwordHash: string) {
  return prisma.$transaction(
    async (tx) => {
      const sessions = await tx.$queryRaw<{ id: string; status: string }[]>`
        SELECT "id", "status"::text AS "status" FROM "PracticeSession"
        WHERE "userId" = ${userId} ORDER BY "id" FOR UPDATE`;
      const [user] = await tx.$queryRaw<{ passwordHash: string }[]>`
        SELECT "passwordHash" FROM "User" WHERE "id" = ${userId} FOR UPDATE`;
      if (!user) return { kind: 'missing' } as const;
      if (user.passwordHash !== passwordHash) return { kind: 'password-changed' } as const;
      await tx.$executeRaw`DELETE FROM "User" WHERE "id" = ${userId}`;
      const unfinished = sessions.filter((s) => s.status === 'QUEUED' || s.status === 'PROCESSING');
      return { kind: 'deleted', sessions: sessions.length, unfinished } as const;
    },
    { timeout: DELETE_TIMEOUT_MS },
  );
}

/**
 * Deletes the keys `keys.owns` among those matching `keys.match`, found with SCAN (never KEYS, which
 * blocks Redis). On a cluster every master is scanned; the keys share the hash-tagged prefix, so
 * each batch lives in one slot of the node that returned it.
 */
export async function sweepKeys(redis: Redis, keys: UserKeys): Promise<number> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let removed = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', keys.match, 'COUNT', SCAN_COUNT);
      cursor = next;
      const owned = found.filter(keys.owns);
      if (owned.length > 0) removed += await node.unlink(...owned);
    } while (cursor !== '0');
  }
  return removed;
}
