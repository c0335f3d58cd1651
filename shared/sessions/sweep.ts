import type { Config } from '../config.js';
import type { PrismaClient } from '../db.js';
import type { Logger } from '../logger.js';
import { scoringJobId } from '../queue/contract.js';
import { enqueueScoring, type ScoringQueue } from '../queue/producer.js';
import { failSession } from './lifecycle.js';

/** At most this many sessions are looked at per sweep; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

export interface SweepResult {
  requeued: number;
  failed: number;
}

/**
 * The outbox sweeper. A session is the source of truth; its job may be missing (Redis was down at
 * submit, or Redis lost it) or finished without the session finishing (a crash between the two).
 * Sessions QUEUED or PROCESSING for longer than the threshold are checked against their job:
 * missing or completed → re-enqueued (safe: job ids dedupe and apply is guarded); failed with no
 * attempts left → the session is marked FAILED; waiting, delayed or active → left alone.
 */
export async function sweepSessions(
  deps: { prisma: PrismaClient; queue: ScoringQueue; config: Config; logger: Logger },
  now = new Date(),
): Promise<SweepResult> {
  const cutoff = new Date(now.getTime() - deps.config.SWEEP_QUEUED_AFTER_SEC * 1000);
  const sessions = await deps.prisma.practiceSession.findMany({
    where: {
      OR: [
        { status: 'QUEUED', createdAt: { lt: cutoff } },
        { status: 'PROCESSING', startedAt: { lt: cutoff } },
      ],
    },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
    take: SWEEP_BATCH,
  });
  const result: SweepResult = { requeued: 0, failed: 0 };
  for (const { id } of sessions) {
    const job = await deps.queue.getJob(scoringJobId(id));
    const state = job ? await job.getState() : 'missing';
    if (state === 'completed' || state === 'missing' || state === 'unknown') {
      if (job) await job.remove();
      await enqueueScoring(deps.queue, deps.config, id);
      result.requeued++;
    } else if (state === 'failed' && job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      const reason = job.failedReason || 'scoring failed';
      if (await failSession(deps.prisma, id, { code: 'SCORING_FAILED', message: reason })) {
        result.failed++;
      }
    }
  }
  if (result.requeued || result.failed) deps.logger.warn(result, 'sweeper repaired sessions');
  return result;
}

/** Deletes idempotency keys past their expiry (kept at least IDEMPOTENCY_TTL_HOURS ≥ 24 h). */
export async function purgeExpiredIdempotencyKeys(prisma: PrismaClient, now = new Date()) {
  const { count } = await prisma.idempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
