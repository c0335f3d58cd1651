/**
 * The framework floor's worker (bench/floor.ts): a BullMQ worker with the app's options whose job
 * does nothing but announce the session on the app's pub/sub channel, as the real worker does
 * after applying it. What a scored session costs a worker before any database or scoring work.
 */
import { Worker } from 'bullmq';
import { parseConfig } from '../../../shared/config.js';
import {
  SCORING_QUEUE,
  sessionEventsChannel,
  type ScoreSessionPayload,
} from '../../../shared/queue/contract.js';
import { createRedis } from '../../../shared/redis.js';

const config = parseConfig(process.env);
const redis = createRedis(config, 'worker');
const channel = sessionEventsChannel(config.QUEUE_PREFIX);
const worker = new Worker<ScoreSessionPayload>(
  SCORING_QUEUE,
  async (job) => {
    await redis.publish(channel, job.data.sessionId);
    return 'floor';
  },
  {
    connection: redis,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.JOB_LOCK_MS,
    limiter: { max: config.SCORING_JOBS_PER_SECOND, duration: 1000 },
  },
);
worker.on('error', (err) => {
  console.error(err);
});
process.on('SIGTERM', () => {
  void worker.close().finally(() => process.exit(0));
});
