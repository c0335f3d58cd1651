import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashResetToken } from '../../api/auth/password-reset.js';
import { createTestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';

const t = createTestApp();
const { app, deps } = t;
afterAll(() => t.close());

const change = (user: { auth: { Authorization: string } }, body: Record<string, unknown>) =>
  request(app).post('/v1/auth/password').set(user.auth).send(body);
const login = (email: string, password: string) =>
  request(app).post('/v1/auth/login').send({ email, password });
const profileWith = (accessToken: string) =>
  request(app)
    .get('/v1/profile')
    .set({ Authorization: `Bearer ${accessToken}` });

/** What a password change may alter: the hash, the session version, the live refresh tokens. */
async function credentials(user: TestUser) {
  const row = await deps.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
  const live = await deps.prisma.refreshToken.count({
    where: { userId: user.id, revokedAt: null },
  });
  return { passwordHash: row.passwordHash, sessionVersion: row.sessionVersion, live };
}

describe('POST /v1/auth/password', () => {
  it('requires authentication', async () => {
    const res = await request(app)
      .post('/v1/auth/password')
      .send({ currentPassword: 'whatever-1', newPassword: 'whatever-2' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID');
  });

  it('rejects invalid input with 400, changing nothing', async () => {
    const user = await createUser(app);
    const before = await credentials(user);
    const bodies = [
      {},
      { currentPassword: user.password },
      { currentPassword: user.password, newPassword: 'short' },
      { currentPassword: user.password, newPassword: 'x'.repeat(129) },
      { currentPassword: '', newPassword: 'long-enough-1' },
      { currentPassword: user.password, newPassword: 'long-enough-1', userId: user.id },
    ];
    for (const body of bodies) {
      const res = await change(user, body);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect(await credentials(user)).toEqual(before);
    expect((await request(app).get('/v1/profile').set(user.auth)).status).toBe(200);
  });

  it('answers 401 AUTH_INVALID for a wrong current password, changing nothing', async () => {
    const user = await createUser(app);
    const before = await credentials(user);
    const res = await change(user, {
      currentPassword: 'not-my-password',
      newPassword: 'hijacked-1',
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID');
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await credentials(user)).toEqual(before);
    expect((await request(app).get('/v1/profile').set(user.auth)).status).toBe(200);
    expect((await login(user.email, user.password)).status).toBe(200);
    expect((await login(user.email, 'hijacked-1')).status).toBe(401);
  });

  it('answers a new token pair; every other token of the user stops working at once', async () => {
    const user = await createUser(app);
    const device = (await login(user.email, user.password)).body as {
      accessToken: string;
      refreshToken: string;
    };
    // This process has the user's sessionVersion cached: the change must end it here at once.
    expect((await request(app).get('/v1/profile').set(user.auth)).status).toBe(200);

    const res = await change(user, { currentPassword: user.password, newPassword: 'changed-pw-1' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      ok: true,
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 900,
    });
    const fresh = res.body as { accessToken: string; refreshToken: string };

    for (const access of [user.accessToken, device.accessToken]) {
      const stale = await profileWith(access);
      expect(stale.status).toBe(401);
      expect(stale.body.code).toBe('AUTH_REVOKED');
    }
    for (const refreshToken of [user.refreshToken, device.refreshToken]) {
      const refreshed = await request(app).post('/v1/auth/refresh').send({ refreshToken });
      expect(refreshed.status).toBe(401);
    }
    // The new pair works: the access token, and the refresh token (a new family) rotates.
    expect((await profileWith(fresh.accessToken)).status).toBe(200);
    const rotated = await request(app)
      .post('/v1/auth/refresh')
      .send({ refreshToken: fresh.refreshToken });
    expect(rotated.status).toBe(200);
    expect((await profileWith(rotated.body.accessToken as string)).status).toBe(200);
    // Only the new password signs in.
    expect((await login(user.email, 'changed-pw-1')).status).toBe(200);
    const old = await login(user.email, user.password);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('AUTH_INVALID');
  });

  it("cannot affect another user's password or tokens", async () => {
    const [user, other] = [await createUser(app), await createUser(app)];
    const before = await credentials(other);
    // The other user's password as "current" does not help either.
    const wrong = await change(user, {
      currentPassword: other.password + '!',
      newPassword: 'x-1234567',
    });
    expect(wrong.status).toBe(401);
    const res = await change(user, { currentPassword: user.password, newPassword: 'mine-only-1' });
    expect(res.status).toBe(200);
    expect(await credentials(other)).toEqual(before);
    expect((await request(app).get('/v1/profile').set(other.auth)).status).toBe(200);
    expect((await login(other.email, other.password)).status).toBe(200);
  });

  it('voids the reset links the user had asked for', async () => {
    const user = await createUser(app);
    const token = randomBytes(32).toString('base64url');
    await deps.prisma.passwordResetToken.create({
      data: {
        userId: user.id,
        tokenHash: hashResetToken(token),
        expiresAt: new Date(Date.now() + 30 * 60_000),
      },
    });
    expect(
      (await change(user, { currentPassword: user.password, newPassword: 'after-change-1' }))
        .status,
    ).toBe(200);
    const res = await request(app)
      .post('/v1/auth/password-reset/confirm')
      .send({ token, newPassword: 'via-old-link-1' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RESET_TOKEN_INVALID');
    expect((await login(user.email, 'after-change-1')).status).toBe(200);
  });

  it('lets only one of two racing changes from the same current password win', async () => {
    const user = await createUser(app);
    const [a, b] = await Promise.all([
      change(user, { currentPassword: user.password, newPassword: 'racer-a-pass' }),
      change(user, { currentPassword: user.password, newPassword: 'racer-b-pass' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? 'racer-a-pass' : 'racer-b-pass';
    const loser = winner === 'racer-a-pass' ? 'racer-b-pass' : 'racer-a-pass';
    expect((await login(user.email, winner)).status).toBe(200);
    expect((await login(user.email, loser)).status).toBe(401);
  });
});

describe('wrong current passwords count as failed logins of the account', () => {
  // Behind one proxy hop, so each request names its client address (X-Forwarded-For).
  const limited = createTestApp({
    TRUST_PROXY: '1',
    RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '2',
    RATE_LIMIT_LOGIN_PER_IP: '100',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '5',
    RATE_LIMIT_LOGIN_ACCOUNT_WINDOW: '15m',
  });
  afterAll(() => limited.close());
  beforeAll(async () => {
    // Limits fail open while Redis is unreachable; wait for the connection so they count.
    if (limited.deps.redis.status !== 'ready') await once(limited.deps.redis, 'ready');
  });
  const changeOn = (
    user: TestUser,
    currentPassword: string,
    newPassword: string,
    from = '203.0.113.1',
  ) =>
    request(limited.app)
      .post('/v1/auth/password')
      .set(user.auth)
      .set('X-Forwarded-For', from)
      .send({ currentPassword, newPassword });
  const loginOn = (email: string, password: string, from = '203.0.113.1') =>
    request(limited.app)
      .post('/v1/auth/login')
      .set('X-Forwarded-For', from)
      .send({ email, password });
  const profileOf = (user: TestUser) => request(limited.app).get('/v1/profile').set(user.auth);

  it('answer 429 RATE_LIMITED past the limit, even for the right password; others unaffected', async () => {
    const [user, other] = [await createUser(limited.app), await createUser(limited.app)];
    // Invalid requests do not count.
    for (let i = 0; i < 3; i++)
      expect((await changeOn(user, user.password, 'short')).status).toBe(400);
    expect((await changeOn(user, 'guess-1', 'new-password-1')).status).toBe(401);
    expect((await changeOn(user, 'guess-2', 'new-password-1')).status).toBe(401);
    const stopped = await changeOn(user, user.password, 'new-password-1');
    expect(stopped.status).toBe(429);
    expect(stopped.body.code).toBe('RATE_LIMITED');
    expect(Number(stopped.headers['retry-after'])).toBeGreaterThan(0);
    expect((await profileOf(user)).status).toBe(200);
    // Another user is not limited by them.
    expect((await changeOn(other, other.password, 'new-password-2')).status).toBe(200);
  });

  it('share one budget per (account, address) with wrong logins, in either order', async () => {
    // A wrong login, then a wrong current password: the account is stopped at that address,
    // for logins and password changes alike, while another address still signs in.
    const user = await createUser(limited.app);
    expect((await loginOn(user.email, 'guess-1')).status).toBe(401);
    expect((await changeOn(user, 'guess-2', 'new-password-1')).status).toBe(401);
    expect((await loginOn(user.email, user.password)).status).toBe(429);
    expect((await changeOn(user, user.password, 'new-password-1')).status).toBe(429);
    expect((await loginOn(user.email, user.password, '203.0.113.2')).status).toBe(200);

    // The other way round, for another account.
    const second = await createUser(limited.app);
    expect((await changeOn(second, 'guess-1', 'new-password-1')).status).toBe(401);
    expect((await loginOn(second.email, 'guess-2')).status).toBe(401);
    expect((await changeOn(second, second.password, 'new-password-1')).status).toBe(429);
    expect((await loginOn(second.email, second.password)).status).toBe(429);
    expect((await profileOf(second)).status).toBe(200);
  });

  it('share the per-account budget over all addresses with wrong logins', async () => {
    // RATE_LIMIT_LOGIN_PER_ACCOUNT is 5: wrong passwords spread over addresses, through both
    // doors, use it up together; the right password is then refused from anywhere.
    const user = await createUser(limited.app);
    for (let i = 0; i < 5; i++) {
      const from = `198.51.100.${i + 1}`;
      const res =
        i % 2 === 0
          ? await changeOn(user, `guess-${i}`, 'new-password-1', from)
          : await loginOn(user.email, `guess-${i}`, from);
      expect(res.status).toBe(401);
    }
    expect((await loginOn(user.email, user.password, '198.51.100.50')).status).toBe(429);
    expect((await changeOn(user, user.password, 'new-password-1', '198.51.100.51')).status).toBe(
      429,
    );
    expect((await profileOf(user)).status).toBe(200);
  });
});
