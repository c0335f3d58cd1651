import { once } from 'node:events';
import { loadConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { closeOnSignals } from '../shared/shutdown.js';
import { buildApp } from './app.js';
import { closePasswordPool } from './auth/passwords.js';
import { createAppDeps } from './deps.js';
import { MAX_WAIT_MS } from './practice/schemas.js';

const config = loadConfig();
const logger = createLogger(config, 'api');
const deps = createAppDeps(config, logger);

const server = buildApp(deps).listen(config.PORT);
await once(server, 'listening');
logger.info({ port: config.PORT }, 'api listening');

/** Longest long-poll (API.md: waitMs ≤ 30 s) plus time for in-flight requests to finish. */
const FORCE_QUIT_MS = MAX_WAIT_MS + 10_000;
/** How often idle keep-alive connections are closed while draining. */
const IDLE_SWEEP_MS = 100;

closeOnSignals(
  logger,
  [
    [
      // Stop accepting, answer waiting long-polls now with the current view (the database is
      // still open), let in-flight requests finish, close keep-alive connections as they go idle.
      'http',
      () =>
        new Promise<void>((resolve, reject) => {
          const sweep = setInterval(() => {
            server.closeIdleConnections();
          }, IDLE_SWEEP_MS);
          server.close((err) => {
            clearInterval(sweep);
            if (err) reject(err);
            else resolve();
          });
          deps.sessionEvents.drain();
          server.closeIdleConnections();
        }),
    ],
    ['connections', () => deps.close()],
    ['password threads', () => closePasswordPool()],
  ],
  FORCE_QUIT_MS,
);
