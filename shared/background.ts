import type { Logger } from './logger.js';

/**
 * Work a response does not wait for (sending an email): a failure is logged, never thrown at
 * anyone, and `idle` lets shutdown (and tests) wait until everything started has finished.
 */
export function createBackgroundTasks(logger: Logger) {
  const pending = new Set<Promise<void>>();
  return {
    /** Starts `task` now; `context` goes into the log line should it fail. */
    run(name: string, task: () => Promise<void>, context: Record<string, unknown> = {}): void {
      const running: Promise<void> = Promise.resolve()
        .then(task)
        .catch((err: unknown) => {
          logger.error({ err, task: name, ...context }, 'background task failed');
        })
        .finally(() => pending.delete(running));
      pending.add(running);
    },
    /** Resolves once every task started so far, and any they started, has finished. */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
export type BackgroundTasks = ReturnType<typeof createBackgroundTasks>;
