import { Queue, Worker } from 'bullmq';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { MAINTENANCE_JOBS, MAINTENANCE_QUEUE } from '../shared/queue/contract.js';
import type { Redis } from '../shared/redis.js';
import { runMaintenance, type MaintenanceDeps } from './processors/maintenance.js';

/** How often the sweeper looks for stuck sessions. */
const SWEEP_EVERY_MS = 5_000;
/**
 * Expired idempotency keys (only read by key, so leftovers are harmless) and the voice clips of
 * long-FAILED sessions are purged hourly.
 */
const PURGE_EVERY_MS = 3_600_000;

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
): Promise<{ queue: Queue; worker: Worker }> {
  const queue = new Queue(MAINTENANCE_QUEUE, { connection, prefix: config.QUEUE_PREFIX });
  const retention = { removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } };
  await queue.upsertJobScheduler(
    MAINTENANCE_JOBS.sweepSessions,
    { every: SWEEP_EVERY_MS },
    { name: MAINTENANCE_JOBS.sweepSessions, opts: retention },
  );
  for (const name of [MAINTENANCE_JOBS.purgeIdempotencyKeys, MAINTENANCE_JOBS.purgeVoiceClips]) {
    await queue.upsertJobScheduler(name, { every: PURGE_EVERY_MS }, { name, opts: retention });
  }
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
  return { queue, worker };
}
