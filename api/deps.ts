import type { Config } from '../shared/config.js';
import type { PrismaClient } from '../shared/db.js';
import type { Logger } from '../shared/logger.js';
import type { Redis } from '../shared/redis.js';

/** Everything the HTTP app uses; entry points and tests build it, routes receive what they need. */
export interface AppDeps {
  config: Config;
  prisma: PrismaClient;
  /** Fail-fast connection (no offline queue): rate limits, readiness. */
  redis: Redis;
  logger: Logger;
}
