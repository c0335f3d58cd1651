import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { uniquePrefix } from '../helpers/config.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * API processes over one database and one Redis, as behind a load balancer: `one` and `two`
 * connect to Redis directly, `three` through a proxy the test can cut. They share QUEUE_PREFIX,
 * so each hears the others' revocation announcements.
 */
const prefix = uniquePrefix();
const one = createTestApp({ QUEUE_PREFIX: prefix });
const two = createTestApp({ QUEUE_PREFIX: prefix });
let proxy: TcpProxy;
let three: TestApp;
beforeAll(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
  three = createTestApp({ QUEUE_PREFIX: prefix, REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
});
afterAll(async () => {
  await one.close();
  await two.close();
  await three.close();
  await proxy.close();
});

const profileStatus = async (t: TestApp, user: TestUser) =>
  (await request(t.app).get('/v1/profile').set(user.auth)).status;

/** Bumps the version by hand in SQL: nobody announces it. */
const bumpUnannounced = (t: TestApp, user: TestUser) =>
  t.deps.prisma.user.update({
    where: { id: user.id },
    data: { sessionVersion: { increment: 1 } },
  });

const announced = (t: TestApp) => expect.poll(() => t.deps.principals.announced).toBe(true);

describe('cached sessionVersion', () => {
  it('ends a revoked token at once in the revoking process and, announced, at once in the others', async () => {
    await announced(two);
    const user = await createUser(one.app);
    expect(await profileStatus(one, user)).toBe(200);
    expect(await profileStatus(two, user)).toBe(200);

    expect((await request(one.app).post('/v1/auth/revoke').set(user.auth).send({})).status).toBe(
      200,
    );
    const here = await request(one.app).get('/v1/profile').set(user.auth);
    expect(here.status).toBe(401);
    expect(here.body.code).toBe('AUTH_REVOKED');

    // The announcement travels over Redis: well under the second the contract allows.
    await expect.poll(() => profileStatus(two, user), { interval: 20, timeout: 1000 }).toBe(401);
    const there = await request(two.app).get('/v1/profile').set(user.auth);
    expect(there.body.code).toBe('AUTH_REVOKED');
  });

  it('trusts an entry read while announcements arrive for longer than a second', async () => {
    await announced(two);
    const user = await createUser(one.app);
    expect(await profileStatus(two, user)).toBe(200);
    await bumpUnannounced(two, user);
    // Nothing was announced: `two` answers from its cache, `one` (no entry) from the database.
    await sleep(1200);
    expect(await profileStatus(two, user)).toBe(200);
    expect(await profileStatus(one, user)).toBe(401);
    // Announced: `two` drops it.
    one.deps.principals.forget(user.id);
    await expect.poll(() => profileStatus(two, user), { interval: 20, timeout: 1000 }).toBe(401);
  });

  it('drops every entry when its subscription is lost, and trusts entries read meanwhile for under a second', async () => {
    await announced(three);
    const user = await createUser(one.app);
    expect(await profileStatus(three, user)).toBe(200);
    await bumpUnannounced(three, user);
    expect(await profileStatus(three, user)).toBe(200); // still cached

    proxy.down();
    // The subscription dropped: the cache was emptied, the next request reads the database.
    await expect.poll(() => three.deps.principals.announced).toBe(false);
    expect(await profileStatus(three, user)).toBe(401);

    // Read while nothing can be announced: trusted for under a second only.
    const other = await createUser(one.app);
    expect(await profileStatus(three, other)).toBe(200);
    await bumpUnannounced(three, other);
    await sleep(1000);
    expect(await profileStatus(three, other)).toBe(401);

    // It reconnects and hears announcements again.
    proxy.up();
    await expect.poll(() => three.deps.principals.announced, { timeout: 10_000 }).toBe(true);
    const third = await createUser(one.app);
    expect(await profileStatus(three, third)).toBe(200);
    expect((await request(one.app).post('/v1/auth/revoke').set(third.auth).send({})).status).toBe(
      200,
    );
    await expect.poll(() => profileStatus(three, third), { interval: 20, timeout: 1000 }).toBe(401);
  });
});
