import { Queue, Worker, type Job } from 'bullmq';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { SCORING_QUEUE, type ScoreSessionPayload } from '../shared/queue/contract.js';
import type { Redis } from '../shared/redis.js';
import { failSession, isStallFailure, releaseClaim } from '../shared/sessions/lifecycle.js';
import { isDatabaseUnavailable } from '../shared/db-unavailable.js';
import { ProviderError } from '../shared/ai/openai/errors.js';
import { PermanentSessionError } from './processors/failures.js';
import { scoreSession, type ScoreDeps } from './processors/score-session.js';

/** Rate-limit pauses one job may take before a 429 counts as an ordinary failed attempt. */
const MAX_RATE_LIMIT_PAUSES = 20;

/**
 * Binds the scoring processor to BullMQ. When a job fails for good (attempts used up, or an
 * unrecoverable error) its session is marked FAILED with a code; nothing was granted. A job failed
 * for stalling is not the session's fault: the sweeper re-enqueues it instead.
 */
/** How long scoring pauses when Postgres cannot be reached, before trying again. */
const DATABASE_PAUSE_MS = 5000;

export function createScoringWorker(
  config: Config,
  connection: Redis,
  deps: ScoreDeps,
  logger: Logger,
): ScoringWorker {
  // The queue handle that pauses the whole queue on a provider rate limit.
  const queue = new Queue<ScoreSessionPayload>(SCORING_QUEUE, {
    connection,
    prefix: config.QUEUE_PREFIX,
  });
  queue.on('error', (err) => {
    logger.warn({ err }, 'scoring queue handle error');
  });
  const worker = new Worker<ScoreSessionPayload>(
    SCORING_QUEUE,
    async (job) => {
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // Starts that ended in a rate-limit pause (they use no attempt): bounded, so a provider
      // that keeps answering 429 ends in the ordinary failure policy instead of looping forever.
      const pauses = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
      const canPause = pauses < MAX_RATE_LIMIT_PAUSES;
      try {
        const outcome = await scoreSession(job.data, deps, { final, canPause });
        logger.debug({ jobId: job.id, sessionId: job.data.sessionId, outcome }, 'scored');
        return outcome;
      } catch (err) {
        if (err instanceof ProviderError && err.kind === 'rate_limited' && canPause) {
          // The provider said "slow down": pause the queue for every worker (BullMQ's global
          // limiter) and put the job back without using an attempt or counting the claim.
          const waitMs = err.retryAfterMs ?? 1000;
          logger.warn({ jobId: job.id, waitMs, stage: err.stage }, 'provider rate limit; pausing');
          await releaseClaim(deps.prisma, job.data.sessionId);
          await queue.rateLimit(waitMs);
          throw Worker.RateLimitError();
        }
        if (isDatabaseUnavailable(err) && canPause) {
          // Postgres is down or restarting: every job would fail the same way. Pause the queue
          // and put the job back without using an attempt, so an outage longer than the retry
          // budget does not end sessions FAILED (at most MAX_RATE_LIMIT_PAUSES pauses).
          logger.warn(
            { jobId: job.id, waitMs: DATABASE_PAUSE_MS },
            'database unavailable; pausing',
          );
          await queue.rateLimit(DATABASE_PAUSE_MS);
          throw Worker.RateLimitError();
        }
        throw err;
      }
    },
    {
      connection,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.JOB_LOCK_MS,
      stalledInterval: config.JOB_LOCK_MS,
      // The global limiter: SCORING_JOBS_PER_SECOND across every worker, and what makes a
      // provider's 429 (queue.rateLimit) pause all workers rather than this one.
      limiter: { max: config.SCORING_JOBS_PER_SECOND, duration: 1000 },
    },
  );
  // Verdicts being written when shutdown starts are awaited before the database closes.
  const pending = new Set<Promise<void>>();
  worker.on('failed', (job, err) => {
    if (!job) return;
    const handling = onFailed(job, err, deps, logger).finally(() => pending.delete(handling));
    pending.add(handling);
  });
  worker.on('error', (err) => {
    logger.error({ err }, 'scoring worker error');
  });
  return {
    worker,
    close: async () => {
      await worker.close();
      await Promise.allSettled(pending);
      await queue.close();
    },
  };
}

export interface ScoringWorker {
  worker: Worker<ScoreSessionPayload>;
  /** Stops taking jobs, lets active ones finish and waits for their FAILED verdicts. */
  close: () => Promise<void>;
}

async function onFailed(
  job: Job<ScoreSessionPayload>,
  err: Error,
  deps: ScoreDeps,
  logger: Logger,
) {
  const { sessionId } = job.data;
  const log = logger.child({ jobId: job.id, sessionId, attemptsMade: job.attemptsMade });
  // moveToFailed sets finishedOn only when the job will not be retried.
  if (!job.finishedOn) {
    log.warn({ err }, 'scoring attempt failed; will retry');
    return;
  }
  if (isStallFailure(err.message)) {
    log.warn({ err }, 'scoring job stalled too often; the sweeper will re-enqueue it');
    return;
  }
  try {
    await failSession(deps.prisma, sessionId, {
      code: failureCode(err),
      message: 'Scoring failed; no rewards were granted',
    });
    await deps.publish(sessionId);
    log.error({ err }, 'scoring failed for good');
  } catch (markErr) {
    // The sweeper finds the failed job and settles the session.
    log.error({ err: markErr, cause: err }, 'could not mark the session FAILED');
  }
}

/**
 * The code a FAILED session shows its owner: our own documented codes only, never a driver's
 * (`ECONNRESET`, a SQLSTATE) that happened to be on the last attempt's error.
 */
export function failureCode(err: Error): string {
  return err instanceof PermanentSessionError || err instanceof ProviderError
    ? err.code
    : 'SCORING_FAILED';
}
