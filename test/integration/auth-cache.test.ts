import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';

/** Two API processes over one database, as behind a load balancer. */
const one = createTestApp();
const two = createTestApp();
afterAll(async () => {
  await one.close();
  await two.close();
});

describe('cached sessionVersion', () => {
  it('ends a revoked token at once in the revoking process and within a second in others', async () => {
    const user = await createUser(one.app);
    // Both processes have the user's sessionVersion cached.
    expect((await request(one.app).get('/v1/profile').set(user.auth)).status).toBe(200);
    expect((await request(two.app).get('/v1/profile').set(user.auth)).status).toBe(200);

    expect((await request(one.app).post('/v1/auth/revoke').set(user.auth).send({})).status).toBe(
      200,
    );
    const here = await request(one.app).get('/v1/profile').set(user.auth);
    expect(here.status).toBe(401);
    expect(here.body.code).toBe('AUTH_REVOKED');

    await sleep(1000);
    const there = await request(two.app).get('/v1/profile').set(user.auth);
    expect(there.status).toBe(401);
    expect(there.body.code).toBe('AUTH_REVOKED');
  });
});
