import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { Config } from '../../shared/config.js';
import { AppError } from '../../shared/errors.js';
import type { ScoringQueue } from '../../shared/queue/producer.js';
import { inFlightCounter } from './in-flight.js';

/** How often the backlog and the event-loop lag are read. */
const SAMPLE_EVERY_MS = 500;
/** Seconds a refused client is asked to wait. */
const RETRY_AFTER_SEC = 2;

/**
 * Past capacity, submits are refused at once — 503 OVERLOADED with Retry-After, nothing stored —
 * instead of queueing without bound: when this process already handles OVERLOAD_MAX_IN_FLIGHT
 * submits (they would wait for a database connection; the bound keeps latency bounded), when more
 * scoring jobs wait than OVERLOAD_MAX_QUEUED_JOBS, or
 * when this process's event loop lagged more than OVERLOAD_MAX_EVENT_LOOP_DELAY_MS (p99, in each
 * of the last two half-second windows). Both are sampled in the background, so the check itself costs nothing.
 */
export function createOverloadGuard(
  config: Pick<
    Config,
    'OVERLOAD_MAX_QUEUED_JOBS' | 'OVERLOAD_MAX_EVENT_LOOP_DELAY_MS' | 'OVERLOAD_MAX_IN_FLIGHT'
  >,
  queue: ScoringQueue,
) {
  const submits = inFlightCounter();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let queued = 0;
  // The lower p99 lag of the last two windows: a saturated loop lags in both; one long pause (a
  // start-up, a big GC) does not refuse anybody.
  let lagMs = 0;
  let lastWindowMs = 0;
  const sample = async (): Promise<void> => {
    const windowMs = lag.count > 0 ? lag.percentile(99) / 1e6 : 0;
    lag.reset();
    lagMs = Math.min(windowMs, lastWindowMs);
    lastWindowMs = windowMs;
    try {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed');
      queued = Object.values(counts).reduce((sum, n) => sum + n, 0);
    } catch {
      // Redis down: submits are still accepted (the session row is the outbox).
      queued = 0;
    }
  };
  const timer = setInterval(() => void sample(), SAMPLE_EVERY_MS);
  timer.unref();
  const guard: RequestHandler = (_req, res, next) => {
    const reason =
      submits.count >= config.OVERLOAD_MAX_IN_FLIGHT
        ? 'too many submits in progress'
        : queued > config.OVERLOAD_MAX_QUEUED_JOBS
          ? 'the scoring backlog is full'
          : lagMs > config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS
            ? 'the server is saturated'
            : null;
    if (reason) {
      throw new AppError('OVERLOADED', 503, `Try again shortly: ${reason}`, {
        headers: { 'Retry-After': String(RETRY_AFTER_SEC) },
      });
    }
    submits.enter(res);
    next();
  };
  return {
    guard,
    /** Takes a sample now (tests; the timer does it every half second). */
    sample,
    close: () => {
      clearInterval(timer);
      lag.disable();
    },
  };
}
export type OverloadGuard = ReturnType<typeof createOverloadGuard>;
