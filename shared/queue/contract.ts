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
  purgeResetTokens: 'purge-reset-tokens',
  purgePrincipalChanges: 'purge-principal-changes',
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

/**
 * BullMQ's lowest priority: priorities run 1 (first) to 2^21; a job without one goes ahead of every
 * prioritised job.
 */
const MAX_PRIORITY = 2_097_152;

/**
 * `inFlight`: the user's sessions already waiting when this one was stored. In `fair` order it
 * becomes the job's priority (+1): every user's next session goes before anyone's backlog, and
 * equal priorities keep arrival order. Unknown (a sweep re-enqueue) means no priority: the job
 * goes ahead, which suits a session that has already waited.
 */
export function scoringJobOptions(
  config: Pick<Config, 'JOB_ATTEMPTS' | 'SCORING_ORDER'>,
  sessionId: string,
  inFlight: number | null = null,
): JobsOptions {
  const fair = config.SCORING_ORDER === 'fair' && inFlight !== null;
  return {
    jobId: scoringJobId(sessionId),
    ...(fair ? { priority: Math.min(inFlight + 1, MAX_PRIORITY) } : {}),
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
