import { once } from 'node:events';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser, uniqueEmail } from '../helpers/factories.js';

describe('signup and refresh rate limits per IP', () => {
  it('answer 429 RATE_LIMITED past the configured limit, creating nothing more', async () => {
    const tight = createTestApp({ RATE_LIMIT_SIGNUP_PER_IP: '3', RATE_LIMIT_REFRESH_PER_IP: '2' });
    try {
      // Limits fail open while Redis is unreachable; wait for the connection so they count.
      if (tight.deps.redis.status !== 'ready') await once(tight.deps.redis, 'ready');
      const users = [];
      for (let i = 0; i < 3; i++) users.push(await createUser(tight.app));
      const email = uniqueEmail('limited');
      const res = await request(tight.app)
        .post('/v1/auth/signup')
        .send({ email, password: 'long-enough-1' });
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('RATE_LIMITED');
      expect(await tight.deps.prisma.user.count({ where: { email } })).toBe(0);
      const refreshes = [];
      for (const user of users) {
        refreshes.push(
          (
            await request(tight.app)
              .post('/v1/auth/refresh')
              .send({ refreshToken: user.refreshToken })
          ).status,
        );
      }
      expect(refreshes).toEqual([200, 200, 429]);
    } finally {
      await tight.close();
    }
  });
});

describe('failed-login limits (behind a proxy: the client address is X-Forwarded-For)', () => {
  const t = createTestApp({
    TRUST_PROXY: '1',
    RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '3',
    RATE_LIMIT_LOGIN_PER_IP: '5',
    RATE_LIMIT_LOGIN_WINDOW: '15m',
    // One address reaches at most 3 × (15/15 + 1) = 6 in the ceiling's window.
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '7',
    RATE_LIMIT_LOGIN_ACCOUNT_WINDOW: '15m',
  });
  afterAll(() => t.close());
  beforeAll(async () => {
    if (t.deps.redis.status !== 'ready') await once(t.deps.redis, 'ready');
  });

  const login = (from: string, email: string, password: string) =>
    request(t.app).post('/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });

  it('stop guessing from one address without locking the owner out from another', async () => {
    const owner = await createUser(t.app);
    const attacker = '203.0.113.10';
    for (let i = 0; i < 3; i++) {
      expect((await login(attacker, owner.email, `guess-${String(i)}`)).status).toBe(401);
    }
    // From the guessing address even the right password is refused now…
    const stopped = await login(attacker, owner.email, owner.password);
    expect(stopped.status).toBe(429);
    expect(stopped.body.code).toBe('RATE_LIMITED');
    expect(Number(stopped.headers['retry-after'])).toBeGreaterThan(0);
    // …however long it keeps trying (429s are not failures and never reach the account ceiling)…
    const more = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(attacker, owner.email, `more-${String(i)}`)),
    );
    expect(new Set(more.map((r) => r.status))).toEqual(new Set([429]));
    // …while the owner, elsewhere, signs in.
    const home = await login('198.51.100.20', owner.email, owner.password);
    expect(home.status).toBe(200);
  });

  it('count only wrong credentials: 429s and invalid requests never use up a limit', async () => {
    const [target, other] = await Promise.all([createUser(t.app), createUser(t.app)]);
    const address = '203.0.113.11';
    for (let i = 0; i < 10; i++) {
      const invalid = await request(t.app)
        .post('/v1/auth/login')
        .set('X-Forwarded-For', address)
        .send({ email: target.email, password: '' });
      expect(invalid.status).toBe(400);
    }
    for (let i = 0; i < 3; i++) {
      expect((await login(address, target.email, 'wrong-password')).status).toBe(401);
    }
    for (let i = 0; i < 10; i++) {
      expect((await login(address, target.email, 'wrong-password')).status).toBe(429);
    }
    // The address has 3 failures of its 5, whatever it was refused since: another account of
    // its own still signs in, and its 2 remaining failures are still 401s.
    expect((await login(address, other.email, other.password)).status).toBe(200);
    expect((await login(address, other.email, 'typo-1')).status).toBe(401);
    expect((await login(address, other.email, 'typo-2')).status).toBe(401);
    expect((await login(address, other.email, other.password)).status).toBe(429);
  });

  it('stop guessing spread over many addresses with the per-account ceiling', async () => {
    const owner = await createUser(t.app);
    const statuses: number[] = [];
    for (const address of ['203.0.113.21', '203.0.113.22', '203.0.113.23']) {
      for (let i = 0; i < 3; i++) {
        statuses.push((await login(address, owner.email, `spread-${String(i)}`)).status);
      }
    }
    // 7 failures allowed for the account in all: the 8th and 9th are refused.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 429, 429]);
    expect((await login('198.51.100.30', owner.email, owner.password)).status).toBe(429);
  });
});
