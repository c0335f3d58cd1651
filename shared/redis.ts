import { Redis, type RedisOptions } from 'ioredis';

export { Redis };

/**
 * Redis connections. Workers block on Redis and must retry forever (`maxRetriesPerRequest: null`);
 * the API fails fast instead (`enableOfflineQueue: false`) so a request never hangs on a dead Redis.
 */
export function createRedis(url: string, role: 'worker' | 'api', extra: RedisOptions = {}): Redis {
  const base: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null }
      : { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 };
  const client = new Redis(url, { ...base, ...extra, lazyConnect: false });
  // Connection errors surface through commands and readiness; an unhandled 'error' would crash.
  client.on('error', () => undefined);
  return client;
}
