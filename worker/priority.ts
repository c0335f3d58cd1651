import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority (WORKER_NICE). On Linux niceness belongs to each thread, so
 * every thread running now is lowered (threads started later inherit it from the main thread).
 * The Postgres backends that run this worker's statements keep their own priority.
 */
export function lowerPriority(nice: number): void {
  let threads: string[] = [];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    // Not Linux: the process priority is all there is.
  }
  setPriority(nice);
  for (const tid of threads) {
    try {
      setPriority(Number(tid), nice);
    } catch {
      // A thread that ended meanwhile.
    }
  }
}
