import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { scoreSession } from '../../worker/processors/score-session.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { submitText } from '../helpers/practice.js';
import { processorDeps } from '../helpers/worker.js';

/**
 * Issue 10: with Redis unreachable (nothing listens on port 1) the API keeps its promises —
 * submits are accepted without waiting for Redis (the session row is the outbox), and long-polls
 * notice a completion by re-reading the database.
 */
describe('Redis unreachable', () => {
  const t = createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
  afterAll(() => t.close());

  it('accepts a submit without waiting out the enqueue timeout; the session stays QUEUED for the sweeper', async () => {
    const user = await createUser(t.app);
    const started = performance.now();
    const res = await submitText(t.app, user);
    // The enqueue timeout is 2 s: the submit did not wait for Redis at all.
    expect(performance.now() - started).toBeLessThan(1500);
    expect(res.status).toBe(202);
    const session = await t.deps.prisma.practiceSession.findUniqueOrThrow({
      where: { id: String(res.body.sessionId) },
    });
    expect(session.status).toBe('QUEUED');
  });

  it('wakes a long-poll by re-reading the database when pub/sub is down', async () => {
    const user = await createUser(t.app);
    const id = String((await submitText(t.app, user)).body.sessionId);
    const poll = request(t.app).get(`/v1/practice/sessions/${id}?waitMs=20000`).set(user.auth);
    const answered = poll.then((r) => r);
    // Scored and applied by the processor itself; its announcement goes nowhere.
    const { deps, close } = processorDeps(t.deps.config);
    try {
      await expect
        .poll(async () => (await t.deps.prisma.practiceSession.findUnique({ where: { id } }))?.id)
        .toBe(id);
      expect(await scoreSession({ sessionId: id }, deps)).toBe('applied');
    } finally {
      await close();
    }
    const started = performance.now();
    const res = await answered;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('COMPLETED');
    // Within a fallback re-read (every 2 s), long before the 20 s wait.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('Redis unreachable: rate limits', () => {
  const t = createTestApp({
    REDIS_URL: 'redis://127.0.0.1:1',
    RATE_LIMIT_SUBMITS_PER_USER: '2',
    RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '3',
  });
  afterAll(() => t.close());

  it('still limit, counting in the process instead of switching off', async () => {
    const user = await createUser(t.app);
    for (let i = 0; i < 2; i++) expect((await submitText(t.app, user)).status).toBe(202);
    const submit = await submitText(t.app, user);
    expect(submit.status).toBe(429);
    expect(submit.body.code).toBe('RATE_LIMITED');
    const guess = () =>
      request(t.app).post('/v1/auth/login').send({ email: user.email, password: 'wrong-password' });
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(429);
  });

  it('share one failed-password budget between login and password change, as in Redis', async () => {
    const user = await createUser(t.app);
    const guess = () =>
      request(t.app).post('/v1/auth/login').send({ email: user.email, password: 'wrong-password' });
    const change = () =>
      request(t.app)
        .post('/v1/auth/password')
        .set(user.auth)
        .send({ currentPassword: 'wrong-password', newPassword: 'a brand new password' });
    expect((await guess()).status).toBe(401);
    expect((await change()).status).toBe(401);
    expect((await guess()).status).toBe(401);
    // Three wrong passwords through either door: both are closed.
    expect((await change()).status).toBe(429);
    expect((await guess()).status).toBe(429);
  });
});
