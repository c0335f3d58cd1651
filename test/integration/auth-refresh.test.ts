import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';

const t = createTestApp();
const { app, deps } = t;
/** A second API process over the same database, as behind a load balancer. */
const other = createTestApp();
/** The grace window off: every second presentation is reuse. */
const strict = createTestApp({ REFRESH_REUSE_GRACE_SEC: '0' });
afterAll(() => Promise.all([t.close(), other.close(), strict.close()]));

const refresh = (refreshToken: string, on = app) =>
  request(on).post('/v1/auth/refresh').send({ refreshToken });

/** Moves a rotated token's rotation into the past, as if the grace window had gone by. */
async function ageRotation(user: TestUser, seconds: number) {
  await deps.prisma.refreshToken.updateMany({
    where: { userId: user.id, replacedBy: { not: null } },
    data: { revokedAt: new Date(Date.now() - seconds * 1000) },
  });
}

const sessionVersion = async (user: TestUser) =>
  (await deps.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion;

describe('POST /v1/auth/refresh', () => {
  it('rotates: the new token works, the old one stops working', async () => {
    const user = await createUser(app);
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, expiresIn: 900 });
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect(first.body.refreshToken).toMatch(/^[\w-]{43}$/);
    const second = await refresh(first.body.refreshToken as string);
    expect(second.status).toBe(200);
    await ageRotation(user, 60);
    expect((await refresh(user.refreshToken)).body.code).toBe('AUTH_REFRESH_REUSED');
  });

  it('answers AUTH_REFRESH_INVALID for an unknown token and AUTH_REFRESH_EXPIRED for an old one', async () => {
    const unknown = await refresh('x'.repeat(43));
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('AUTH_REFRESH_INVALID');

    const user = await createUser(app);
    await deps.prisma.refreshToken.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await refresh(user.refreshToken);
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('AUTH_REFRESH_EXPIRED');
  });

  it('rejects a body without a refresh token', async () => {
    const res = await request(app).post('/v1/auth/refresh').send({});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('refresh races (REFRESH_REUSE_GRACE_SEC)', () => {
  for (const n of [2, 10]) {
    it(`keeps the user signed in when ${String(n)} refreshes of one token race`, async () => {
      const user = await createUser(app);
      const results = await Promise.all(
        Array.from({ length: n }, () => refresh(user.refreshToken)),
      );
      expect(results.map((r) => r.status)).toEqual(Array(n).fill(200));
      // Every answer carries the same successor and a working access token.
      const successors = new Set(results.map((r) => r.body.refreshToken as string));
      expect(successors.size).toBe(1);
      for (const r of results) {
        const profile = await request(app)
          .get('/v1/profile')
          .set('Authorization', `Bearer ${r.body.accessToken as string}`);
        expect(profile.status).toBe(200);
      }
      expect(await sessionVersion(user)).toBe(0);
      // One rotation happened: the old token and its one successor, which still works.
      expect(await deps.prisma.refreshToken.count({ where: { userId: user.id } })).toBe(2);
      const [successor] = successors;
      expect((await refresh(successor ?? '')).status).toBe(200);
    });
  }

  it('answers a retry within the window with the same successor, from another API process too', async () => {
    const user = await createUser(app);
    const first = await refresh(user.refreshToken);
    const retry = await refresh(user.refreshToken, other.app);
    expect(retry.status).toBe(200);
    expect(retry.body.refreshToken).toBe(first.body.refreshToken);
    expect(retry.headers['cache-control']).toBe('no-store');
  });

  it('treats a presentation after the window as reuse: family revoked, access tokens ended', async () => {
    const user = await createUser(app);
    const rotated = await refresh(user.refreshToken);
    expect(rotated.status).toBe(200);
    const fresh = { Authorization: `Bearer ${rotated.body.accessToken as string}` };
    expect((await request(app).get('/v1/profile').set(fresh)).status).toBe(200);

    await ageRotation(user, deps.config.REFRESH_REUSE_GRACE_SEC + 1);
    const reuse = await refresh(user.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('AUTH_REFRESH_REUSED');
    // The legitimate latest token of that family is dead too…
    const latest = await refresh(rotated.body.refreshToken as string);
    expect(latest.status).toBe(401);
    expect(latest.body.code).toBe('AUTH_REFRESH_INVALID');
    // …and so is every access token issued before (sessionVersion +1).
    expect(await sessionVersion(user)).toBe(1);
    const stale = await request(app).get('/v1/profile').set(fresh);
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe('AUTH_REVOKED');
  });

  it('gives nothing within the window once the family was revoked (logout)', async () => {
    const user = await createUser(app);
    const rotated = await refresh(user.refreshToken);
    const logout = await request(app)
      .post('/v1/auth/logout')
      .set('Authorization', `Bearer ${rotated.body.accessToken as string}`)
      .send({ refreshToken: rotated.body.refreshToken });
    expect(logout.status).toBe(200);
    const retry = await refresh(user.refreshToken);
    expect(retry.status).toBe(401);
    expect(retry.body.code).toBe('AUTH_REFRESH_INVALID');
  });

  it('gives nothing within the window once reuse revoked the family', async () => {
    const user = await createUser(app);
    const first = await refresh(user.refreshToken);
    await ageRotation(user, 60);
    // The first successor is rotated now: a retry of it would be within its window.
    const second = await refresh(first.body.refreshToken as string);
    expect(second.status).toBe(200);
    expect((await refresh(user.refreshToken)).body.code).toBe('AUTH_REFRESH_REUSED');
    const retry = await refresh(first.body.refreshToken as string);
    expect(retry.status).toBe(401);
    expect(retry.body.code).toBe('AUTH_REFRESH_INVALID');
  });

  it('with the window off, a second presentation is reuse at once', async () => {
    const user = await createUser(strict.app);
    expect((await refresh(user.refreshToken, strict.app)).status).toBe(200);
    const again = await refresh(user.refreshToken, strict.app);
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('AUTH_REFRESH_REUSED');
  });
});
