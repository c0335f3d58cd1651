import { once } from 'node:events';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';

/** Two exports per user per hour; list reads keep their own (generous) limit. */
const t = createTestApp({ RATE_LIMIT_EXPORTS_PER_USER: '2', RATE_LIMIT_READS_PER_USER: '100' });
afterAll(() => t.close());
beforeAll(async () => {
  // Limits fail open while Redis is unreachable; wait for the connection so they count.
  if (t.deps.redis.status !== 'ready') await once(t.deps.redis, 'ready');
});

const exportOf = (user: TestUser) => request(t.app).get('/v1/account/export').set(user.auth);
const sessionsOf = (user: TestUser) => request(t.app).get('/v1/practice/sessions').set(user.auth);

describe('GET /v1/account/export rate limit (RATE_LIMIT_EXPORTS_PER_USER per hour)', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the limit; other users and list reads unaffected', async () => {
    const [user, other] = [await createUser(t.app), await createUser(t.app)];
    // List reads do not use up exports.
    for (let i = 0; i < 3; i++) expect((await sessionsOf(user)).status).toBe(200);
    expect((await exportOf(user)).status).toBe(200);
    expect((await exportOf(user)).status).toBe(200);

    const stopped = await exportOf(user);
    expect(stopped.status).toBe(429);
    expect(stopped.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(stopped.body.code).toBe('RATE_LIMITED');
    // Within the hour's window: more than a minute-long list-read window would say.
    const retryAfter = Number(stopped.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(stopped.headers['cache-control']).toBe('no-store');

    // Exports do not use up list reads, and another user exports as before.
    expect((await sessionsOf(user)).status).toBe(200);
    expect((await exportOf(other)).status).toBe(200);
  });

  it('requires authentication before counting anything', async () => {
    const user = await createUser(t.app);
    for (let i = 0; i < 3; i++) {
      expect((await request(t.app).get('/v1/account/export')).status).toBe(401);
    }
    expect((await exportOf(user)).status).toBe(200);
  });
});
