import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser, uniqueEmail } from '../helpers/factories.js';

const t = createTestApp();
const { app, deps } = t;
afterAll(() => t.close());

describe('POST /v1/auth/signup', () => {
  it('answers 201 with the user and tokens, creating wallet and stats', async () => {
    const email = `  ${uniqueEmail('Mixed').toUpperCase()} `;
    const res = await request(app).post('/v1/auth/signup').send({ email, password: 'longenough' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ok: true,
      user: { email: email.trim().toLowerCase() },
      expiresIn: 900,
    });
    expect(typeof res.body.accessToken).toBe('string');
    expect(res.body.refreshToken).toMatch(/^[\w-]{43}$/);
    const id = res.body.user.id as string;
    const user = await deps.prisma.user.findUniqueOrThrow({
      where: { id },
      include: { wallet: true, stats: true },
    });
    expect(user.wallet).toMatchObject({ xp: 0, level: 1, coins: 0, gems: 0 });
    expect(user.stats).toMatchObject({ sessionsCount: 0 });
    expect(user.timezone).toBe('UTC');
    expect(user.passwordHash).not.toContain('longenough');
  });

  it('rejects invalid input listing every bad field', async () => {
    const res = await request(app)
      .post('/v1/auth/signup')
      .send({ email: 'not-an-email', password: 'short', timezone: 'Mars/Olympus', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ ok: false, status: 400, code: 'VALIDATION_FAILED' });
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['email', 'password', 'timezone']));
    expect(JSON.stringify(res.body.errors)).toContain('extra');
  });

  it('answers 409 EMAIL_TAKEN for an existing email', async () => {
    const user = await createUser(app);
    const res = await request(app)
      .post('/v1/auth/signup')
      .send({ email: user.email.toUpperCase(), password: 'another-password' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('EMAIL_TAKEN');
  });

  it('lets exactly one of many concurrent signups of one email win', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(app).post('/v1/auth/signup').send({ email, password: 'racing-password' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.code === 'EMAIL_TAKEN'),
    ).toBe(true);
    expect(await deps.prisma.user.count({ where: { email } })).toBe(1);
    expect(await deps.prisma.userWallet.count({ where: { user: { email } } })).toBe(1);
  });
});

describe('POST /v1/auth/login', () => {
  it('answers 200 with tokens for the right password', async () => {
    const user = await createUser(app);
    const res = await request(app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: user.password });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, user: { id: user.id, email: user.email } });
    const profile = await request(app)
      .get('/v1/profile')
      .set('Authorization', `Bearer ${res.body.accessToken}`);
    expect(profile.status).toBe(200);
  });

  it('answers the same 401 for an unknown email and a wrong password', async () => {
    const user = await createUser(app);
    const wrong = await request(app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: 'wrong-password' });
    const unknown = await request(app)
      .post('/v1/auth/login')
      .send({ email: uniqueEmail(), password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body.code).toBe('AUTH_INVALID');
  });

  it('answers 429 RATE_LIMITED with Retry-After after repeated failed logins for one account', async () => {
    const user = await createUser(app);
    const attempts = deps.config.RATE_LIMIT_LOGIN_PER_ACCOUNT_IP;
    for (let i = 0; i < attempts; i++) {
      const res = await request(app)
        .post('/v1/auth/login')
        .send({ email: user.email, password: 'nope-nope' });
      expect(res.status).toBe(401);
    }
    const limited = await request(app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: user.password });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-limit']).toBe(String(attempts));
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    // Another account from the same IP is not locked out.
    const other = await createUser(app);
    const ok = await request(app)
      .post('/v1/auth/login')
      .send({ email: other.email, password: other.password });
    expect(ok.status).toBe(200);
  });
});

describe('POST /v1/auth/logout', () => {
  it('requires authentication', async () => {
    const res = await request(app).post('/v1/auth/logout').send({});
    expect(res.status).toBe(401);
  });

  it('ends earlier access tokens (AUTH_REVOKED) and the given refresh family', async () => {
    const user = await createUser(app);
    const res = await request(app)
      .post('/v1/auth/logout')
      .set(user.auth)
      .send({ refreshToken: user.refreshToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    const stale = await request(app).get('/v1/profile').set(user.auth);
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe('AUTH_REVOKED');
    const refresh = await request(app)
      .post('/v1/auth/refresh')
      .send({ refreshToken: user.refreshToken });
    expect(refresh.status).toBe(401);
    // Logging in again gives a working token.
    const login = await request(app)
      .post('/v1/auth/login')
      .send({ email: user.email, password: user.password });
    const fresh = await request(app)
      .get('/v1/profile')
      .set('Authorization', `Bearer ${login.body.accessToken}`);
    expect(fresh.status).toBe(200);
  });
});

describe('POST /v1/auth/revoke', () => {
  it('revokes the caller without a userId', async () => {
    const user = await createUser(app);
    const res = await request(app).post('/v1/auth/revoke').set(user.auth).send({});
    expect(res.status).toBe(200);
    expect((await request(app).get('/v1/profile').set(user.auth)).body.code).toBe('AUTH_REVOKED');
    expect(
      (await request(app).post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }))
        .status,
    ).toBe(401);
  });

  it('answers 403 FORBIDDEN when a non-admin revokes someone else, changing nothing', async () => {
    const [caller, victim] = await Promise.all([createUser(app), createUser(app)]);
    const res = await request(app)
      .post('/v1/auth/revoke')
      .set(caller.auth)
      .send({ userId: victim.id });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await request(app).get('/v1/profile').set(victim.auth)).status).toBe(200);
  });

  it('lets an admin revoke another user, and answers 404 USER_NOT_FOUND for an unknown id', async () => {
    const [admin, victim] = await Promise.all([createUser(app), createUser(app)]);
    await deps.prisma.user.update({ where: { id: admin.id }, data: { role: 'ADMIN' } });
    const login = await request(app)
      .post('/v1/auth/login')
      .send({ email: admin.email, password: admin.password });
    const adminAuth = { Authorization: `Bearer ${login.body.accessToken}` };
    const res = await request(app)
      .post('/v1/auth/revoke')
      .set(adminAuth)
      .send({ userId: victim.id });
    expect(res.status).toBe(200);
    expect((await request(app).get('/v1/profile').set(victim.auth)).body.code).toBe('AUTH_REVOKED');
    const missing = await request(app)
      .post('/v1/auth/revoke')
      .set(adminAuth)
      .send({ userId: 'no-such-user' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('USER_NOT_FOUND');
  });
});

describe('responses carrying tokens', () => {
  it('send Cache-Control: no-store (signup, login, refresh, and their errors)', async () => {
    const email = uniqueEmail('nostore');
    const responses = [
      await request(app).post('/v1/auth/signup').send({ email, password: 'long-enough-1' }),
      await request(app).post('/v1/auth/login').send({ email, password: 'long-enough-1' }),
      await request(app).post('/v1/auth/login').send({ email, password: 'wrong-password' }),
    ];
    const signedUp = responses[0]?.body as { refreshToken: string };
    responses.push(
      await request(app).post('/v1/auth/refresh').send({ refreshToken: signedUp.refreshToken }),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 200, 401, 200]);
    for (const res of responses) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
    }
  });
});
