import pLimit from 'p-limit';
import { createScoringSetup } from '../shared/ai/providers.js';
import { loadConfig } from '../shared/config.js';
import { metricsAccess } from '../shared/metrics-access.js';
import { createPrisma } from '../shared/db.js';
import { createLogger } from '../shared/logger.js';
import { sessionEventsChannel } from '../shared/queue/contract.js';
import { createScoringQueue } from '../shared/queue/producer.js';
import { createRedis } from '../shared/redis.js';
import { batchedSessionWrites } from '../shared/sessions/write-batches.js';
import { closeOnSignals } from '../shared/shutdown.js';
import { startMaintenance } from './maintenance-worker.js';
import {
  createWorkerMetrics,
  instrumentProvider,
  instrumentTranscriber,
  observeJobs,
  observeSweeps,
  recordProviderInfo,
  serveMetrics,
} from './metrics.js';
import { lowerPriority } from './priority.js';
import { createScoringWorker } from './scoring-worker.js';

const config = loadConfig();
const logger = createLogger(config, 'worker');
if (config.WORKER_NICE > 0) lowerPriority(config.WORKER_NICE);
const metrics = createWorkerMetrics();
const setup = createScoringSetup(config);
try {
  await setup.verify();
} catch (err) {
  // A key that is refused or an endpoint that cannot be reached would fail every session later.
  logger.fatal({ err, providers: setup.info }, 'scoring provider unusable; refusing to start');
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
recordProviderInfo(metrics, setup.info);
logger.info({ providers: setup.info }, 'scoring providers');

const prisma = createPrisma(config.DATABASE_URL, { max: config.WORKER_CONCURRENCY + 2 });
const redis = createRedis(config, 'worker');

const channel = sessionEventsChannel(config.QUEUE_PREFIX);
const publish = (sessionId: string) => redis.publish(channel, sessionId);

const scoringQueue = createScoringQueue(config, redis);
const scoring = createScoringWorker(
  config,
  redis,
  {
    prisma,
    provider: instrumentProvider(setup.provider, metrics),
    fallback: setup.fallback && instrumentProvider(setup.fallback, metrics),
    transcriber: setup.transcriber && instrumentTranscriber(setup.transcriber, metrics),
    transcriptionSlots: pLimit(config.TRANSCRIPTION_CONCURRENCY),
    onFallback: (reason) => {
      metrics.fallbacks.inc({ reason });
    },
    publish,
    applyLockTimeoutMs: config.APPLY_LOCK_TIMEOUT_MS,
    writes: batchedSessionWrites(prisma, {
      maxBatch: config.WORKER_WRITE_BATCH,
      lockTimeoutMs: config.APPLY_LOCK_TIMEOUT_MS,
      onBatch: (kind, size) => {
        metrics.writeBatchSize.observe({ kind }, size);
      },
      onBatchFailed: (kind, size, err) => {
        logger.warn({ err, kind, size }, 'batched session write failed; sending one by one');
      },
    }),
    onCompleted: (seconds) => {
      metrics.completionLatency.observe(seconds);
    },
  },
  logger,
);
observeJobs(scoring.worker, metrics);
const access = metricsAccess(config);
if (config.WORKER_METRICS_PORT && access.kind === 'off') {
  logger.warn('worker /metrics not served: METRICS_TOKEN is unset in production');
}
const metricsServer =
  config.WORKER_METRICS_PORT && access.kind !== 'off'
    ? serveMetrics(
        metrics,
        { port: config.WORKER_METRICS_PORT, host: config.WORKER_METRICS_HOST, access },
        (err) => {
          logger.error({ err }, 'worker metrics server failed');
        },
      )
    : null;
const maintenance = await startMaintenance(
  config,
  redis,
  { prisma, queue: scoringQueue, config, logger, publish },
  logger,
);
observeSweeps(maintenance.worker, metrics);
logger.info(
  { concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX },
  'worker started',
);

closeOnSignals(logger, [
  [
    'metrics',
    () =>
      new Promise((resolve) => {
        if (metricsServer) metricsServer.close(resolve);
        else resolve(null);
      }),
  ],
  // Stop taking jobs and let the active ones finish first; then close what they used.
  ['scoring worker', () => scoring.close()],
  ['maintenance worker', () => maintenance.close()],
  ['queues', () => Promise.all([scoringQueue.close(), maintenance.queue.close()])],
  ['prisma', () => prisma.$disconnect()],
  ['redis', () => redis.quit()],
]);
