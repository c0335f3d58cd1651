import { loadConfig } from '../shared/config.js';
import { createPrisma } from '../shared/db.js';
import { createLogger } from '../shared/logger.js';
import { createRedis } from '../shared/redis.js';
import { closeOnSignals } from '../shared/shutdown.js';

const config = loadConfig();
const logger = createLogger(config, 'worker');
const prisma = createPrisma(config.DATABASE_URL);
const redis = createRedis(config.REDIS_URL, 'worker');

await prisma.$connect();
await redis.ping();
logger.info('worker connected; idle');

closeOnSignals(logger, [
  ['prisma', () => prisma.$disconnect()],
  ['redis', () => redis.quit()],
]);
