import type { Express } from 'express';
import { buildApp } from '../../api/app.js';
import type { AppDeps } from '../../api/deps.js';
import { createPrisma } from '../../shared/db.js';
import { createLogger } from '../../shared/logger.js';
import { createRedis } from '../../shared/redis.js';
import { testConfig } from './config.js';

export interface TestApp {
  app: Express;
  deps: AppDeps;
  close: () => Promise<void>;
}

/** The real app over the worker's database and real Redis; `close` releases every connection. */
export function createTestApp(env: Record<string, string> = {}): TestApp {
  const config = testConfig(env);
  const prisma = createPrisma(config.DATABASE_URL, { max: 5 });
  const redis = createRedis(config.REDIS_URL, 'api');
  const deps: AppDeps = { config, prisma, redis, logger: createLogger(config, 'test-api') };
  return {
    app: buildApp(deps),
    deps,
    close: async () => {
      redis.disconnect();
      await prisma.$disconnect();
    },
  };
}
