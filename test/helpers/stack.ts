import { afterAll, beforeAll } from 'vitest';
import { heuristicProvider } from '../../shared/ai/index.js';
import { createTestApp, type TestApp } from './app.js';
import { startScoringWorker, type TestWorker } from './worker.js';

/**
 * The app plus a real scoring worker on its queue prefix for the whole test file: started before
 * the first test, closed after the last.
 */
export function appWithWorker(
  env: Record<string, string> = {},
  options: { clock?: () => Date } = {},
): TestApp {
  const t = createTestApp(env, options);
  let worker: TestWorker | undefined;
  beforeAll(() => {
    worker = startScoringWorker(t.deps.config, heuristicProvider, options);
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
  });
  return t;
}

/**
 * `appWithWorker` on one test clock that drives the app (timezone changes, "today") and the
 * worker (when sessions complete), so a day can pass inside a test: `at(iso)` sets it and
 * `advance(ms)` moves it on.
 */
export function appWithWorkerOnClock(
  startIso: string,
): TestApp & { at: (iso: string) => void; advance: (ms: number) => void } {
  let now = new Date(startIso);
  const t = appWithWorker({}, { clock: () => new Date(now) });
  return {
    ...t,
    at: (iso: string) => {
      now = new Date(iso);
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}
