import type { Logger } from './logger.js';

type Step = readonly [name: string, close: () => Promise<unknown>];

/** How long a graceful shutdown may take before the process is forced out, by default. */
const FORCE_QUIT_MS = 15_000;

/**
 * On SIGTERM/SIGINT, runs the close steps in order (stop taking work first, close stores last),
 * then exits; a second signal or the force-quit timer exits at once. An unhandled rejection
 * shuts down the same way with exit code 1.
 */
export function closeOnSignals(logger: Logger, steps: Step[], forceQuitMs = FORCE_QUIT_MS): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; forcing exit');
      process.exit(1);
    }, forceQuitMs);
    timer.unref();
    let failed = false;
    for (const [name, close] of steps) {
      try {
        await close();
      } catch (err) {
        failed = true;
        logger.error({ err, step: name }, 'shutdown step failed');
      }
    }
    logger.info('shutdown complete');
    process.exit(failed ? 1 : (process.exitCode ?? 0));
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal));
  }
  // A rejection nobody handled means state we cannot trust: log it and restart cleanly.
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    process.exitCode = 1;
    void shutdown('unhandledRejection');
  });
}
