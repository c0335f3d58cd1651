import { once } from 'node:events';
import { loadConfig } from '../shared/config.js';
import { createPrisma } from '../shared/db.js';
import { createLogger } from '../shared/logger.js';
import { createRedis } from '../shared/redis.js';
import { closeOnSignals } from '../shared/shutdown.js';
import { buildApp } from './app.js';

const config = loadConfig();
const logger = createLogger(config, 'api');
const prisma = createPrisma(config.DATABASE_URL);
const redis = createRedis(config.REDIS_URL, 'api');

const app = buildApp({ config, prisma, redis, logger });
const server = app.listen(config.PORT);
await once(server, 'listening');
logger.info({ port: config.PORT }, 'api listening');

closeOnSignals(logger, [
  [
    'http',
    () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  ],
  ['prisma', () => prisma.$disconnect()],
  ['redis', () => redis.quit()],
]);
