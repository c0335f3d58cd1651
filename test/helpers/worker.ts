import type { Worker } from 'bullmq';
import { heuristicProvider, type AiCoreProvider } from '../../shared/ai/index.js';
import pLimit from 'p-limit';
import { createScoringSetup } from '../../shared/ai/providers.js';
import type { Config } from '../../shared/config.js';
import { createPrisma, type PrismaClient } from '../../shared/db.js';
import { createLogger } from '../../shared/logger.js';
import { sessionEventsChannel } from '../../shared/queue/contract.js';
import { createRedis } from '../../shared/redis.js';
import { batchedSessionWrites } from '../../shared/sessions/write-batches.js';
import { createScoringWorker } from '../../worker/scoring-worker.js';
import type { ScoreDeps } from '../../worker/processors/score-session.js';

export interface TestWorker {
  worker: Worker;
  deps: ScoreDeps;
  prisma: PrismaClient;
  close: () => Promise<void>;
}

/** The providers a worker scores with: one provider, or what the config's factory builds. */
export type WorkerScoring =
  AiCoreProvider | Pick<ScoreDeps, 'provider' | 'fallback' | 'transcriber' | 'transcriptionSlots'>;

/** What worker/main.ts builds from this config (provider, fallback, transcriber). */
export function configuredScoring(config: Config): WorkerScoring {
  const { provider, fallback, transcriber } = createScoringSetup(config);
  return {
    provider,
    fallback,
    transcriber,
    transcriptionSlots: pLimit(config.TRANSCRIPTION_CONCURRENCY),
  };
}

/**
 * A real BullMQ scoring worker on the test app's queue prefix, as worker/main.ts wires it
 * (claims and applies batched as WORKER_WRITE_BATCH says).
 * `clock` replaces the time sessions complete at (streaks and daily limits read it).
 */
export function startScoringWorker(
  config: Config,
  providersOrOne: WorkerScoring = heuristicProvider,
  options: { clock?: () => Date } = {},
): TestWorker {
  const connection = createRedis(config, 'worker');
  const prisma = createPrisma(config.DATABASE_URL, { max: 5 });
  const channel = sessionEventsChannel(config.QUEUE_PREFIX);
  const providers = 'analyze' in providersOrOne ? { provider: providersOrOne } : providersOrOne;
  const deps: ScoreDeps = {
    prisma,
    ...providers,
    publish: (id) => connection.publish(channel, id),
    applyLockTimeoutMs: config.APPLY_LOCK_TIMEOUT_MS,
    writes: batchedSessionWrites(prisma, {
      maxBatch: config.WORKER_WRITE_BATCH,
      lockTimeoutMs: config.APPLY_LOCK_TIMEOUT_MS,
    }),
    ...options,
  };
  const scoring = createScoringWorker(
    config,
    connection,
    deps,
    createLogger(config, 'test-worker'),
  );
  return {
    worker: scoring.worker,
    deps,
    prisma,
    close: async () => {
      await scoring.close();
      connection.disconnect();
      await prisma.$disconnect();
    },
  };
}

/** Score-only deps for calling the processor directly (no BullMQ). */
export function processorDeps(config: Config, provider: AiCoreProvider = heuristicProvider) {
  const prisma = createPrisma(config.DATABASE_URL, { max: 5 });
  const published: string[] = [];
  const deps: ScoreDeps = {
    prisma,
    provider,
    publish: (id) => {
      published.push(id);
      return Promise.resolve();
    },
    applyLockTimeoutMs: config.APPLY_LOCK_TIMEOUT_MS,
  };
  return { deps, published, close: () => prisma.$disconnect() };
}
