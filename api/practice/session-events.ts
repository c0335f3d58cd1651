import { sessionEventsChannel } from '../../shared/queue/contract.js';
import type { Redis } from '../../shared/redis.js';

/** While pub/sub is down, a waiting long-poll re-reads the database this often. */
export const FALLBACK_POLL_MS = 2000;
/** A remaining wait shorter than this is not worth another round of reads. */
const MIN_SLICE_MS = 10;

/**
 * Wakes long-polls when the worker announces a finished session on Redis pub/sub, so waiting
 * requests never poll the database in a loop while Redis is up. One subscriber connection per API
 * process. While the subscriber is not connected, `sliceMs` tells long-polls to re-read the
 * database every FALLBACK_POLL_MS instead; when it reconnects every waiter is woken to re-read
 * (announcements made during the outage are lost). `drain` (shutdown) wakes every waiter and makes
 * new waits return at once.
 */
export class SessionEvents {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly channel: string;
  private draining = false;

  constructor(
    private readonly subscriber: Redis,
    prefix: string,
  ) {
    this.channel = sessionEventsChannel(prefix);
    subscriber.on('message', (channel: string, sessionId: string) => {
      if (channel !== this.channel) return;
      for (const wake of this.waiters.get(sessionId) ?? []) wake();
    });
    // ioredis re-subscribes by itself after a reconnect; what was announced meanwhile is lost.
    subscriber.on('ready', () => {
      this.wakeAll();
    });
    subscriber.subscribe(this.channel).catch(() => undefined);
  }

  /** How long a long-poll may wait before re-reading: all of it while pub/sub works. */
  sliceMs(remainingMs: number): number {
    if (this.draining || remainingMs < MIN_SLICE_MS) return 0;
    return this.subscriber.status === 'ready'
      ? remainingMs
      : Math.min(remainingMs, FALLBACK_POLL_MS);
  }

  /** Shutdown: every waiting long-poll answers now with the current view; new ones do not wait. */
  drain(): void {
    this.draining = true;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const set of [...this.waiters.values()]) for (const wake of [...set]) wake();
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
    this.drain();
    this.subscriber.disconnect();
    return Promise.resolve();
  }
}
