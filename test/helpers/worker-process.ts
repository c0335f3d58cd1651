import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Config } from '../../shared/config.js';

/**
 * The real worker entry point (`worker/main.ts`) in its own process, on the test app's database,
 * Redis and queue prefix, with quiet logs and no metrics port unless `env` says otherwise.
 */
export function spawnWorkerProcess(
  config: Config,
  env: Record<string, string> = {},
  stdio: StdioOptions = ['ignore', 'inherit', 'inherit'],
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      QUEUE_PREFIX: config.QUEUE_PREFIX,
      LOG_LEVEL: 'error',
      WORKER_METRICS_PORT: '0',
      ...env,
    },
    stdio,
  });
}
