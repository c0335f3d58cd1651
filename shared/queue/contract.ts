import type { JobsOptions } from 'bullmq';
import type { Config } from '../config.js';

/**
 * The job contract shared by the API (producer) and the worker (consumer): queue names, payloads
 * (ids only — never transcripts or tokens) and default options.
 */

export const SCORING_QUEUE = 'scoring';
export const MAINTENANCE_QUEUE = 'maintenance';

export const SCORE_SESSION_JOB = 'score-session';
export interface ScoreSessionPayload {
  sessionId: string;
}

export const MAINTENANCE_JOBS = {
  sweepSessions: 'sweep-sessions',
  purgeIdempotencyKeys: 'purge-idempotency-keys',
  purgeVoiceClips: 'purge-voice-clips',
} as const;
export type MaintenanceJobName = (typeof MAINTENANCE_JOBS)[keyof typeof MAINTENANCE_JOBS];

/**
 * One job per session: the id is derived from the session id, so a re-send, a sweep or a race
 * never queues a session twice while its job exists.
 */
export function scoringJobId(sessionId: string): string {
  return `score-${sessionId}`;
}

/** First retry after ~1 s, then 2 s, 4 s… with ±50 % jitter so retries of a burst spread out. */
const BACKOFF_BASE_MS = 1000;

export function scoringJobOptions(
  config: Pick<Config, 'JOB_ATTEMPTS'>,
  sessionId: string,
): JobsOptions {
  return {
    jobId: scoringJobId(sessionId),
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: BACKOFF_BASE_MS, jitter: 0.5 },
    // Completed jobs matter only for dedup and Bull Board: keep an hour, at most 5 000.
    removeOnComplete: { age: 3600, count: 5000 },
    // Failed jobs are kept a week for ops to inspect and retry.
    removeOnFail: { age: 7 * 86400, count: 10000 },
  };
}

/** The Redis pub/sub channel on which the worker announces finished sessions (wakes long-polls). */
export function sessionEventsChannel(prefix: string): string {
  return `${prefix}:session-events`;
}
