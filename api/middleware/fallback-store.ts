import { MemoryStore, type IncrementResponse, type Options, type Store } from 'express-rate-limit';

/**
 * A rate-limit store that counts in Redis (shared by every API process) and, while Redis cannot
 * answer, in this process's memory — so a Redis outage degrades the limits to per-process ones
 * instead of switching them off (unlimited password guessing during an outage). The Redis client
 * fails fast when disconnected (no offline queue), so the fallback costs no waiting.
 */
export class FallbackStore implements Store {
  private local = new MemoryStore();
  readonly localKeys = false;
  readonly prefix: string;

  constructor(
    private readonly shared: Store,
    private readonly onFallback: (err: unknown) => void = () => undefined,
  ) {
    this.prefix = shared.prefix ?? '';
  }

  init(options: Options): void {
    void Promise.resolve(this.shared.init?.(options)).catch(this.onFallback);
    this.local = localStoreFor(this.prefix, options);
  }

  async increment(key: string): Promise<IncrementResponse> {
    try {
      return await this.shared.increment(key);
    } catch (err) {
      this.onFallback(err);
      return this.local.increment(key);
    }
  }

  async decrement(key: string): Promise<void> {
    try {
      await this.shared.decrement(key);
    } catch {
      await this.local.decrement(key);
    }
  }

  async resetKey(key: string): Promise<void> {
    await Promise.allSettled([this.shared.resetKey(key), this.local.resetKey(key)]);
  }

  shutdown(): void {
    // The in-memory counts may be another limiter's too (see localStoreFor); their timer is
    // unref'd, so nothing keeps the process alive.
  }
}

/**
 * One in-memory store per Redis key prefix and window: limiters that share Redis keys (failed
 * passwords at login, password change and account deletion all count on the `login` keys)
 * share their fallback counts too, so a Redis outage does not hand each its own budget.
 */
const localStores = new Map<string, MemoryStore>();

function localStoreFor(prefix: string, options: Options): MemoryStore {
  const id = `${prefix}|${String(options.windowMs)}`;
  let store = localStores.get(id);
  if (!store) {
    store = new MemoryStore();
    store.init(options);
    localStores.set(id, store);
  }
  return store;
}
