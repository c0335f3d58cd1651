import type { Express } from 'express';
import { buildApp } from '../../api/app.js';
import { createAppDeps, type AppDeps } from '../../api/deps.js';
import { createLogger } from '../../shared/logger.js';
import { testConfig } from './config.js';

export interface TestApp {
  app: Express;
  deps: AppDeps;
  close: () => Promise<void>;
}

/**
 * The real app over the worker's database and real Redis; `close` releases every connection.
 * `clock` replaces the app's time (timezone changes, the dashboard's streak).
 */
export function createTestApp(
  env: Record<string, string> = {},
  options: { clock?: () => Date } = {},
): TestApp {
  const config = testConfig(env);
  const deps = createAppDeps(config, createLogger(config, 'test-api'), {
    dbPoolSize: 5,
    ...options,
  });
  return { app: buildApp(deps), deps, close: deps.close };
}
