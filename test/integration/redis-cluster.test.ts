import { Cluster } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { expectConsistentRewards, submitText, waitForTerminal } from '../helpers/practice.js';
import { sessionEventsChannel } from '../../shared/queue/contract.js';
import { createRedis } from '../../shared/redis.js';
import { startRedisCluster, type LocalCluster } from '../helpers/redis-cluster.js';
import { startScoringWorker, type TestWorker } from '../helpers/worker.js';

let cluster: LocalCluster;
let t: TestApp;
let worker: TestWorker;
beforeAll(async () => {
  cluster = await startRedisCluster();
  t = createTestApp({
    REDIS_CLUSTER_NODES: cluster.nodes.join(','),
    RATE_LIMIT_SUBMITS_PER_USER: '3',
  });
  worker = startScoringWorker(t.deps.config);
}, 60_000);
afterAll(async () => {
  await worker.close();
  await t.close();
  await cluster.stop();
});

describe('the practice loop on a 3-master Redis Cluster', () => {
  it('queues, scores, wakes long-polls and rate limits through the cluster', async () => {
    const user = await createUser(t.app);
    // The worker's completion announcement crosses the cluster (pub/sub on any node).
    const subscriber = createRedis(t.deps.config, 'worker');
    const announced = new Promise<string>((resolve) => {
      subscriber.on('message', (_channel: string, id: string) => {
        resolve(id);
      });
    });
    await subscriber.subscribe(sessionEventsChannel(t.deps.config.QUEUE_PREFIX));
    const res = await submitText(t.app, user);
    expect(res.status).toBe(202);
    expect(await announced).toBe(res.body.sessionId);
    subscriber.disconnect();
    const done = await waitForTerminal(t.app, user, res.body.sessionId as string);
    expect(done.body.status).toBe('COMPLETED');
    await expectConsistentRewards(t.deps.prisma, user.id);

    for (let i = 0; i < 2; i++) expect((await submitText(t.app, user)).status).toBe(202);
    const limited = await submitText(t.app, user);
    expect(limited.status).toBe(429);

    const ready = await request(t.app).get('/v1/health/ready');
    expect(ready.body.checks.redis).toBe('up');

    // Every key the app wrote carries the prefix's hash tag, so each queue sits in one slot.
    const probe = new Cluster(
      cluster.nodes.map((n) => ({ host: '127.0.0.1', port: Number(n.split(':')[1]) })),
    );
    try {
      const tag = /\{[^}]+\}/.exec(t.deps.config.QUEUE_PREFIX)?.[0] ?? '';
      const slot = Number(await probe.call('CLUSTER', 'KEYSLOT', tag));
      let keys: string[] = [];
      for (const node of probe.nodes('master')) {
        keys = keys.concat(await node.keys('*'));
      }
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key.startsWith(t.deps.config.QUEUE_PREFIX), key).toBe(true);
        expect(Number(await probe.call('CLUSTER', 'KEYSLOT', key))).toBe(slot);
      }
    } finally {
      probe.disconnect();
    }
  });
});
