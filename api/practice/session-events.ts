import { sessionEventsChannel } from '../../shared/queue/contract.js';
import type { Redis } from '../../shared/redis.js';

/**
 * Wakes long-polls when the worker announces a finished session on Redis pub/sub, so waiting
 * requests never poll the database in a loop. One subscriber connection per API process.
 */
export class SessionEvents {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly channel: string;

  constructor(
    private readonly subscriber: Redis,
    prefix: string,
  ) {
    this.channel = sessionEventsChannel(prefix);
    subscriber.on('message', (channel: string, sessionId: string) => {
      if (channel !== this.channel) return;
      for (const wake of this.waiters.get(sessionId) ?? []) wake();
    });
    // ioredis re-subscribes by itself after a reconnect.
    subscriber.subscribe(this.channel).catch(() => undefined);
  }

  /**
   * Resolves when the session is announced, after `ms`, or when `signal` aborts — whichever comes
   * first. Register before re-reading the session so no announcement is missed.
   */
  waitFor(
    sessionId: string,
    ms: number,
    signal?: AbortSignal,
  ): { done: Promise<void>; cancel: () => void } {
    let cancel: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      const set = this.waiters.get(sessionId) ?? new Set<() => void>();
      this.waiters.set(sessionId, set);
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        set.delete(finish);
        if (set.size === 0) this.waiters.delete(sessionId);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      set.add(finish);
      signal?.addEventListener('abort', finish);
      cancel = finish;
    });
    return { done, cancel };
  }

  get waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  async close(): Promise<void> {
    for (const set of this.waiters.values()) for (const wake of set) wake();
    this.subscriber.disconnect();
    return Promise.resolve();
  }
}
