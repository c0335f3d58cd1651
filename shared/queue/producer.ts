import { Queue } from 'bullmq';
import type { Config } from '../config.js';
import type { Redis } from '../redis.js';
import {
  SCORE_SESSION_JOB,
  SCORING_QUEUE,
  scoringJobOptions,
  type ScoreSessionPayload,
} from './contract.js';

export type ScoringQueue = Queue<ScoreSessionPayload>;

/** The scoring queue over a given connection (fail-fast in the API, blocking in the worker). */
export function createScoringQueue(
  config: Pick<Config, 'QUEUE_PREFIX'>,
  connection: Redis,
): ScoringQueue {
  const queue = new Queue<ScoreSessionPayload>(SCORING_QUEUE, {
    connection,
    prefix: config.QUEUE_PREFIX,
  });
  // Connection errors reach callers through rejected adds (and readiness); don't print them twice.
  queue.on('error', () => undefined);
  return queue;
}

/** How long a submit waits for Redis before leaving the session to the sweeper. */
const ENQUEUE_TIMEOUT_MS = 2000;

/** Adds the scoring job of a session; rejects quickly when Redis is unreachable. */
export async function enqueueScoring(
  queue: ScoringQueue,
  config: Pick<Config, 'JOB_ATTEMPTS' | 'SCORING_ORDER'>,
  sessionId: string,
  /** The user's sessions already waiting (see scoringJobOptions); null when unknown. */
  inFlight: number | null = null,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error('enqueue timed out'));
    }, ENQUEUE_TIMEOUT_MS);
  });
  try {
    await Promise.race([
      queue.add(SCORE_SESSION_JOB, { sessionId }, scoringJobOptions(config, sessionId, inFlight)),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
