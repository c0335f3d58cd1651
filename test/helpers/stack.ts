import { afterAll, beforeAll } from 'vitest';
import { createTestApp, type TestApp } from './app.js';
import { startScoringWorker, type TestWorker } from './worker.js';

/**
 * The app plus a real scoring worker on its queue prefix for the whole test file: started before
 * the first test, closed after the last.
 */
export function appWithWorker(env: Record<string, string> = {}): TestApp {
  const t = createTestApp(env);
  let worker: TestWorker | undefined;
  beforeAll(() => {
    worker = startScoringWorker(t.deps.config);
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
  });
  return t;
}
