import { Cluster } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoringJobId } from '../../shared/queue/contract.js';
import { accountDigest } from '../helpers/account-fixture.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { submitText } from '../helpers/practice.js';
import { startRedisCluster, type LocalCluster } from '../helpers/redis-cluster.js';

let cluster: LocalCluster;
let t: TestApp;
let probe: Cluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
  t = createTestApp({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') });
  probe = new Cluster(
    cluster.nodes.map((n) => ({ host: '127.0.0.1', port: Number(n.split(':')[1]) })),
  );
}, 60_000);
afterAll(async () => {
  probe.disconnect();
  await t.close();
  await cluster.stop();
});

/** Every key on every master. */
async function allKeys(): Promise<string[]> {
  let keys: string[] = [];
  for (const node of probe.nodes('master')) keys = keys.concat(await node.keys('*'));
  return keys;
}
const owned = (keys: string[], user: TestUser) =>
  keys.filter((k) => k.includes(user.id) || k.includes(accountDigest(user.email))).sort();

/** A user with a queued session, a failed login and reads: keys by id and by account. */
async function busyUser(): Promise<{ user: TestUser; sessionId: string }> {
  const user = await createUser(t.app);
  const res = await submitText(t.app, user);
  expect(res.status).toBe(202);
  const wrong = await request(t.app)
    .post('/v1/auth/login')
    .send({ email: user.email, password: 'not the password' });
  expect(wrong.status).toBe(401);
  expect((await request(t.app).get('/v1/practice/sessions').set(user.auth)).status).toBe(200);
  return { user, sessionId: res.body.sessionId as string };
}

describe('DELETE /v1/account on a 3-master Redis Cluster', () => {
  it('sweeps the user’s rate-limit keys and queued job, and only the user’s', async () => {
    const a = await busyUser();
    const b = await busyUser();
    const before = await allKeys();
    expect(owned(before, a.user).length).toBeGreaterThanOrEqual(4);
    const keysB = owned(before, b.user);

    const res = await request(t.app)
      .delete('/v1/account')
      .set(a.user.auth)
      .send({ password: a.user.password });
    expect(res.status).toBe(204);

    // The keys keyed by account and address are found by a SCAN after the answer.
    await t.deps.background.idle();
    const after = await allKeys();
    expect(owned(after, a.user)).toEqual([]);
    expect(owned(after, b.user)).toEqual(keysB);
    expect(await t.deps.scoringQueue.getJob(scoringJobId(a.sessionId))).toBeUndefined();
    expect(await t.deps.scoringQueue.getJob(scoringJobId(b.sessionId))).toBeDefined();
  });
});
