import { Queue, Worker } from 'bullmq';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { MAINTENANCE_JOBS, MAINTENANCE_QUEUE } from '../shared/queue/contract.js';
import type { Redis } from '../shared/redis.js';
import { runMaintenance, type MaintenanceDeps } from './processors/maintenance.js';

/** How often the sweeper looks for stuck sessions. */
const SWEEP_EVERY_MS = 5_000;
/**
 * Expired idempotency keys (only read by key, so leftovers are harmless), the voice clips of
 * long-FAILED sessions and long-expired password-reset tokens are purged hourly.
 */
const PURGE_EVERY_MS = 3_600_000;
/** Principal changes (read by API processes within a second of their commit): every 10 minutes. */
const PURGE_PRINCIPAL_CHANGES_EVERY_MS = 600_000;
/**
 * How often a worker checks that the schedules still exist: a Redis restarted without persistence
 * (or flushed) loses them, and without them nothing would ever sweep the lost sessions again.
 */
const SCHEDULE_CHECK_MS = 30_000;

const SCHEDULES = [
  { name: MAINTENANCE_JOBS.sweepSessions, every: SWEEP_EVERY_MS },
  { name: MAINTENANCE_JOBS.purgeIdempotencyKeys, every: PURGE_EVERY_MS },
  { name: MAINTENANCE_JOBS.purgeVoiceClips, every: PURGE_EVERY_MS },
  { name: MAINTENANCE_JOBS.purgeResetTokens, every: PURGE_EVERY_MS },
  { name: MAINTENANCE_JOBS.purgePrincipalChanges, every: PURGE_PRINCIPAL_CHANGES_EVERY_MS },
] as const;

const RETENTION = { removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } };

/**
 * Creates the schedules that are missing and leaves existing ones alone (re-upserting an hourly
 * schedule every check would keep pushing its next run away). Returns the names it created.
 */
export async function ensureSchedules(queue: Queue): Promise<string[]> {
  const created: string[] = [];
  for (const { name, every } of SCHEDULES) {
    if (await queue.getJobScheduler(name)) continue;
    await queue.upsertJobScheduler(name, { every }, { name, opts: RETENTION });
    created.push(name);
  }
  return created;
}

/**
 * Maintenance on BullMQ job schedulers: one schedule per task however many workers run, and one
 * maintenance job at a time per process. Two sweeps may still overlap across processes; that is
 * harmless (job ids dedupe enqueues, session updates are conditional).
 */
export async function startMaintenance(
  config: Config,
  connection: Redis,
  deps: MaintenanceDeps,
  logger: Logger,
  scheduleCheckMs = SCHEDULE_CHECK_MS,
): Promise<{ queue: Queue; worker: Worker; close: () => Promise<void> }> {
  const queue = new Queue(MAINTENANCE_QUEUE, { connection, prefix: config.QUEUE_PREFIX });
  // Without a listener BullMQ prints every error of the shared connection raw to stderr.
  queue.on('error', (err) => {
    logger.warn({ err }, 'maintenance queue handle error');
  });
  await ensureSchedules(queue);
  const check = () => {
    ensureSchedules(queue).then(
      (created) => {
        if (created.length > 0) logger.warn({ created }, 'maintenance schedules were missing');
      },
      (err: unknown) => {
        logger.warn({ err }, 'could not check the maintenance schedules');
      },
    );
  };
  const timer = setInterval(check, scheduleCheckMs);
  timer.unref();
  // A reconnect may be to a Redis that restarted empty: check at once.
  connection.on('ready', check);
  const worker = new Worker(MAINTENANCE_QUEUE, (job) => runMaintenance(job.name, deps), {
    connection,
    prefix: config.QUEUE_PREFIX,
    concurrency: 1,
  });
  worker.on('error', (err) => {
    logger.error({ err }, 'maintenance worker error');
  });
  worker.on('failed', (job, err) => {
    logger.error({ err, job: job?.name }, 'maintenance job failed');
  });
  return {
    queue,
    worker,
    close: async () => {
      clearInterval(timer);
      connection.off('ready', check);
      await worker.close();
    },
  };
}
