import { once } from 'node:events';
import { loadConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { closeOnSignals } from '../shared/shutdown.js';
import { buildApp } from './app.js';
import { closePasswordPool } from './auth/passwords.js';
import { createAppDeps } from './deps.js';

const config = loadConfig();
const logger = createLogger(config, 'api');
const deps = createAppDeps(config, logger);

const server = buildApp(deps).listen(config.PORT);
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
  ['connections', () => deps.close()],
  ['password threads', () => closePasswordPool()],
]);
