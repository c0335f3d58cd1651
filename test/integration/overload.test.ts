import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { submitText } from '../helpers/practice.js';

describe('submits past capacity', () => {
  const t = createTestApp({
    OVERLOAD_MAX_QUEUED_JOBS: '1',
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '40',
  });
  afterAll(() => t.close());

  it('answers 503 OVERLOADED with Retry-After while the backlog is over the limit, storing nothing', async () => {
    const user = await createUser(t.app);
    await t.deps.overload.sample();
    await t.deps.overload.sample();
    // No worker runs: two accepted submits leave two jobs waiting.
    for (let i = 0; i < 2; i++) expect((await submitText(t.app, user)).status).toBe(202);
    await t.deps.overload.sample();
    const res = await submitText(t.app, user);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('OVERLOADED');
    expect(res.headers['retry-after']).toBe('2');
    expect(await t.deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(2);
    await t.deps.scoringQueue.drain();
    await t.deps.overload.sample();
    expect((await submitText(t.app, user)).status).toBe(202);
  });
});

describe('submits while the event loop lags', () => {
  const t = createTestApp({ OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '60' });
  afterAll(() => t.close());

  it('answers 503 OVERLOADED, and accepts again once the lag is over', async () => {
    const user = await createUser(t.app);
    // Two quiet windows: whatever start-up cost is forgotten.
    await t.deps.overload.sample();
    await t.deps.overload.sample();
    expect((await submitText(t.app, user)).status).toBe(202);
    // Saturate the event loop for three sample windows (as a CPU-bound
    // burst would, 120 ms at a time); the background sampler sees lag in each.
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const slice = Date.now() + 120;
      while (Date.now() < slice) {
        // busy
      }
      await new Promise(setImmediate);
    }
    const res = await submitText(t.app, user);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('OVERLOADED');
    // Two quiet windows later it accepts again.
    await sleep(1100);
    expect((await submitText(t.app, user)).status).toBe(202);
  });
});

describe('per-user submit limit', () => {
  const t = createTestApp({ RATE_LIMIT_SUBMITS_PER_USER: '2' });
  afterAll(() => t.close());

  it('answers 429 RATE_LIMITED with Retry-After past the limit, storing nothing; others unaffected', async () => {
    const [user, other] = [await createUser(t.app), await createUser(t.app)];
    for (let i = 0; i < 2; i++) expect((await submitText(t.app, user)).status).toBe(202);
    const res = await submitText(t.app, user);
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await t.deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(2);
    expect((await submitText(t.app, other)).status).toBe(202);
  });
});

describe('submits in flight', () => {
  const t = createTestApp({ OVERLOAD_MAX_IN_FLIGHT: '4' });
  afterAll(() => t.close());

  it('answers 503 OVERLOADED past OVERLOAD_MAX_IN_FLIGHT at once, and never loses an accepted one', async () => {
    const user = await createUser(t.app);
    const answers = await Promise.all(Array.from({ length: 16 }, () => submitText(t.app, user)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 202 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    const accepted = statuses.filter((s) => s === 202).length;
    expect(await t.deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(
      accepted,
    );
  });
});
