import { createBackgroundTasks, type BackgroundTasks } from '../shared/background.js';
import { batcher } from '../shared/batching.js';
import type { Config } from '../shared/config.js';
import { createPrisma, type PrismaClient } from '../shared/db.js';
import type { Logger } from '../shared/logger.js';
import { createMailer, type Mailer } from '../shared/mail/mailer.js';
import { Queue } from 'bullmq';
import { MAINTENANCE_QUEUE } from '../shared/queue/contract.js';
import { createScoringQueue, type ScoringQueue } from '../shared/queue/producer.js';
import { createRedis, type Redis } from '../shared/redis.js';
import {
  submitMany,
  submitOne,
  type SubmitArgs,
  type SubmitRow,
} from '../shared/sessions/submit.js';
import { createOverloadGuard, type OverloadGuard } from './middleware/overload.js';
import { pollPrincipalChanges } from './middleware/principal-changes.js';
import { createPrincipalCache, type PrincipalCache } from './middleware/principals.js';
import { SessionEvents } from './practice/session-events.js';

/** Everything the HTTP app uses; entry points and tests build it, routes receive what they need. */
export interface AppDeps {
  config: Config;
  prisma: PrismaClient;
  /** Fail-fast connection (no offline queue): rate limits, readiness, the job producer. */
  redis: Redis;
  logger: Logger;
  /** Producer of scoring jobs (over the fail-fast connection). */
  scoringQueue: ScoringQueue;
  /** Completion announcements that wake long-polls. */
  sessionEvents: SessionEvents;
  /** Every queue, for Bull Board and queue-depth metrics. */
  queues: Queue[];
  /** Recently seen users' sessionVersion and role (requireAuth). */
  principals: PrincipalCache;
  /** Refuses submits past capacity (503 OVERLOADED). */
  overload: OverloadGuard;
  /** The time as the streak and fair-play rules read it (timezone changes, the dashboard). */
  clock: () => Date;
  /** Email (password resets); off without SMTP_URL. */
  mailer: Mailer;
  /** Work answered before it is done (emails); `close` waits for it. */
  background: BackgroundTasks;
  /** The submit statement, batched across concurrent requests (SUBMIT_BATCH); null: each alone. */
  submitStatement: ((args: SubmitArgs) => Promise<SubmitRow>) | null;
  /** Submit statements sent by the batcher and the submits they carried (metrics). */
  submitBatches: { statements: number; submits: number };
}

/** Opens the API's connections; `close` releases them in order (producer, events, stores). */
export function createAppDeps(
  config: Config,
  logger: Logger,
  options: { dbPoolSize?: number; clock?: () => Date } = {},
): AppDeps & { close: () => Promise<void> } {
  const prisma = createPrisma(config.DATABASE_URL, {
    max: options.dbPoolSize ?? config.DATABASE_POOL_SIZE,
  });
  const redis = createRedis(config, 'api');
  // Subscriber mode needs its own connection; it may wait for Redis, nothing blocks on it.
  const subscriber = createRedis(config, 'worker');
  const scoringQueue = createScoringQueue(config, redis);
  const overload = createOverloadGuard(config, scoringQueue);
  const sessionEvents = new SessionEvents(subscriber, config.QUEUE_PREFIX);
  const maintenanceQueue = new Queue(MAINTENANCE_QUEUE, {
    connection: redis,
    prefix: config.QUEUE_PREFIX,
  });
  maintenanceQueue.on('error', () => undefined);
  const principalChanges = pollPrincipalChanges(config.DATABASE_URL, logger);
  const principals = createPrincipalCache(prisma, {
    ttlMs: config.AUTH_CACHE_TTL * 1000,
    changes: principalChanges,
  });
  const mailer = createMailer(config, logger);
  const background = createBackgroundTasks(logger);
  const submitBatches = { statements: 0, submits: 0 };
  const submits =
    config.SUBMIT_BATCH > 1
      ? batcher<SubmitArgs, SubmitRow>({
          many: (subs) => submitMany(prisma, subs),
          one: (args) => submitOne(prisma, args),
          maxBatch: config.SUBMIT_BATCH,
          onBatch: (size) => {
            submitBatches.statements++;
            submitBatches.submits += size;
          },
          onBatchFailed: (size, err) => {
            logger.warn({ err, size }, 'batched submit failed; sending one by one');
          },
        })
      : null;
  return {
    config,
    prisma,
    redis,
    logger,
    scoringQueue,
    sessionEvents,
    queues: [scoringQueue, maintenanceQueue],
    principals,
    overload,
    clock: options.clock ?? (() => new Date()),
    mailer,
    background,
    submitStatement: submits && ((args) => submits.load(args)),
    submitBatches,
    close: async () => {
      // Emails already promised are sent first (the mail timeouts bound the wait).
      await background.idle();
      mailer.close();
      overload.close();
      await principalChanges.close();
      await scoringQueue.close().catch(() => undefined);
      await maintenanceQueue.close().catch(() => undefined);
      await sessionEvents.close();
      redis.disconnect();
      await prisma.$disconnect();
    },
  };
}
