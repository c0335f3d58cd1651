import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { SCORING_QUEUE, type ScoreSessionPayload } from '../shared/queue/contract.js';
import type { Redis } from '../shared/redis.js';
import { failSession } from '../shared/sessions/lifecycle.js';
import { scoreSession, type ScoreDeps } from './processors/score-session.js';

/** Whether this attempt is the last one BullMQ will make. */
function isFinalAttempt(job: Job, err: unknown): boolean {
  return err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Binds the scoring processor to BullMQ. On the final failed attempt the session is marked FAILED
 * with a code (nothing is granted) before the job itself fails.
 */
export function createScoringWorker(
  config: Config,
  connection: Redis,
  deps: ScoreDeps,
  logger: Logger,
): Worker<ScoreSessionPayload> {
  const worker = new Worker<ScoreSessionPayload>(
    SCORING_QUEUE,
    async (job) => {
      const log = logger.child({ jobId: job.id, sessionId: job.data.sessionId });
      try {
        const outcome = await scoreSession(job.data, deps);
        log.debug({ outcome }, 'scored');
        return outcome;
      } catch (err) {
        if (isFinalAttempt(job, err)) {
          const code = (err as { code?: unknown }).code;
          await failSession(deps.prisma, job.data.sessionId, {
            code: typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'SCORING_FAILED',
            message: 'Scoring failed; no rewards were granted',
          });
          await deps.publish(job.data.sessionId);
          log.error({ err, attemptsMade: job.attemptsMade + 1 }, 'scoring failed for good');
        } else {
          log.warn(
            { err, attemptsMade: job.attemptsMade + 1 },
            'scoring attempt failed; will retry',
          );
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
    },
  );
  worker.on('error', (err) => {
    logger.error({ err }, 'scoring worker error');
  });
  return worker;
}
