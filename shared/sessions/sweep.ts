import type { Config } from '../config.js';
import type { PrismaClient } from '../db.js';
import type { Logger } from '../logger.js';
import { scoringJobId } from '../queue/contract.js';
import { enqueueScoring, type ScoringQueue } from '../queue/producer.js';
import { failSession, isStallFailure } from './lifecycle.js';

/** Sessions read per query, and the most one sweep looks at (the next sweep takes the rest). */
const SWEEP_BATCH = 500;
const SWEEP_MAX = 5000;
/**
 * Claims (scoring attempts) after which a session whose job failed is given up: two full rounds of
 * job attempts, so a job lost to crashes gets a fresh round but a poison session ends.
 */
const maxClaims = (config: Pick<Config, 'JOB_ATTEMPTS'>) => 2 * config.JOB_ATTEMPTS;

export interface SweepResult {
  requeued: number;
  failed: number;
}

/**
 * The outbox sweeper. A session is the source of truth; its job may be missing (Redis was down at
 * submit, or Redis lost it) or finished without the session finishing (a crash between the two,
 * or BullMQ failing a job whose workers died too often). Sessions QUEUED or PROCESSING for longer
 * than the threshold are checked against their job: missing, completed or failed → re-enqueued
 * with a fresh job (safe: job ids dedupe and apply is guarded), unless the session has used
 * `maxClaims` attempts, then it is marked FAILED; waiting, delayed or active → left alone. After a
 * Redis data loss every job is missing, so every unfinished session is re-enqueued. The cost of a
 * sweep is bounded: at most SWEEP_MAX sessions, a query and about one Redis round trip per batch.
 */
export async function sweepSessions(
  deps: {
    prisma: PrismaClient;
    queue: ScoringQueue;
    config: Config;
    logger: Logger;
    publish?: (sessionId: string) => Promise<unknown>;
  },
  now = new Date(),
): Promise<SweepResult> {
  const cutoff = new Date(now.getTime() - deps.config.SWEEP_QUEUED_AFTER_SEC * 1000);
  const result: SweepResult = { requeued: 0, failed: 0 };
  let after: { createdAt: Date; id: string } | null = null;
  for (let seen = 0; seen < SWEEP_MAX; seen += SWEEP_BATCH) {
    const sessions: { id: string; createdAt: Date }[] = await deps.prisma.practiceSession.findMany({
      where: {
        OR: [
          { status: 'QUEUED', createdAt: { lt: cutoff } },
          { status: 'PROCESSING', startedAt: { lt: cutoff } },
        ],
        ...(after
          ? {
              AND: [
                {
                  OR: [
                    { createdAt: { gt: after.createdAt } },
                    { createdAt: after.createdAt, id: { gt: after.id } },
                  ],
                },
              ],
            }
          : {}),
      },
      select: { id: true, createdAt: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: SWEEP_BATCH,
    });
    await repairBatch(deps, sessions, result);
    const last = sessions.at(-1);
    if (!last || sessions.length < SWEEP_BATCH) break;
    after = last;
  }
  if (result.requeued || result.failed) deps.logger.warn(result, 'sweeper repaired sessions');
  return result;
}

type JobState = Awaited<ReturnType<ScoringQueue['getJobState']>>;
/** Job states that mean "it will run": leave the session alone. */
const LIVE = new Set<JobState>(['waiting', 'delayed', 'prioritized', 'active', 'waiting-children']);

/**
 * One batch, read consistently: the jobs' states first (concurrent calls on one connection, so
 * about one Redis round trip for the batch), THEN the sessions that are still unfinished (one
 * query). A worker applies a session before BullMQ marks its job completed, so a session that
 * finished meanwhile is seen finished here and is not re-enqueued.
 */
async function repairBatch(
  deps: Parameters<typeof sweepSessions>[0],
  sessions: { id: string }[],
  result: SweepResult,
): Promise<void> {
  const states = await Promise.all(
    sessions.map(async (s) => ({
      id: s.id,
      state: await deps.queue.getJobState(scoringJobId(s.id)),
    })),
  );
  const suspects = new Map(states.filter((s) => !LIVE.has(s.state)).map((s) => [s.id, s.state]));
  if (suspects.size === 0) return;
  const open = await deps.prisma.practiceSession.findMany({
    where: { id: { in: [...suspects.keys()] }, status: { in: ['QUEUED', 'PROCESSING'] } },
    select: { id: true, attempts: true },
  });
  for (const session of open) {
    try {
      await repair(deps, session, suspects.get(session.id) ?? 'unknown', result);
    } catch (err) {
      // One session (say, a job locked by a worker right now) must not stop the sweep.
      deps.logger.warn({ err, sessionId: session.id }, 'sweeper could not repair a session');
    }
  }
}

/** A session still unfinished whose job is completed, failed or gone (e.g. Redis lost it). */
async function repair(
  deps: Parameters<typeof sweepSessions>[0],
  session: { id: string; attempts: number },
  state: JobState,
  result: SweepResult,
): Promise<void> {
  const job = state === 'unknown' ? null : await deps.queue.getJob(scoringJobId(session.id));
  // A job that failed for its own reasons has the same verdict as the worker's: FAILED. Only a job
  // BullMQ failed because its workers died (stalled) deserves another round, and only so many.
  const stalled = state === 'failed' && isStallFailure(job?.failedReason ?? '');
  if ((state === 'failed' && !stalled) || session.attempts >= maxClaims(deps.config)) {
    const settled = await failSession(deps.prisma, session.id, {
      code: 'SCORING_FAILED',
      message: 'Scoring failed; no rewards were granted',
    });
    if (settled) {
      await deps.publish?.(session.id);
      result.failed++;
    }
    return;
  }
  if (job) await job.remove();
  await enqueueScoring(deps.queue, deps.config, session.id);
  result.requeued++;
}

/** Deletes idempotency keys past their expiry (kept at least IDEMPOTENCY_TTL_HOURS ≥ 24 h). */
export async function purgeExpiredIdempotencyKeys(prisma: PrismaClient, now = new Date()) {
  const { count } = await prisma.idempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
