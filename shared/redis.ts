import { Cluster, Redis as RedisClient, type RedisOptions } from 'ioredis';
import type { Config } from './config.js';

/** A connection to one Redis server or to a Redis Cluster (REDIS_CLUSTER_NODES). */
export type Redis = RedisClient | Cluster;

type RedisSettings = Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>;

/**
 * Redis connections. Workers block on Redis and must retry forever (`maxRetriesPerRequest: null`);
 * the API fails fast instead (`enableOfflineQueue: false`) so a request never hangs on a dead
 * Redis. With REDIS_CLUSTER_NODES set the connection is an ioredis Cluster: every key of this app
 * (BullMQ, rate limits) lives under the hash-tagged QUEUE_PREFIX, so each queue's keys share one
 * slot, as BullMQ's Lua scripts require.
 */
export function createRedis(settings: RedisSettings, role: 'worker' | 'api'): Redis {
  const base: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null }
      : { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 };
  const nodes = settings.REDIS_CLUSTER_NODES;
  const client: Redis =
    nodes.length > 0
      ? new Cluster(nodes, {
          redisOptions: base,
          enableOfflineQueue: role === 'worker',
          // Keys move between nodes when the cluster is resharded: follow, don't fail.
          maxRedirections: 16,
        })
      : new RedisClient(settings.REDIS_URL, { ...base, lazyConnect: false });
  // Connection errors surface through commands and readiness; an unhandled 'error' would crash.
  client.on('error', () => undefined);
  return client;
}
