import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { purgeExpiredIdempotencyKeys } from '../../shared/sessions/sweep.js';
import { sessionEventsChannel } from '../../shared/queue/contract.js';
import { createRedis } from '../../shared/redis.js';
import { scoreSession } from '../../worker/processors/score-session.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { submitText } from '../helpers/practice.js';
import { processorDeps } from '../helpers/worker.js';

// No BullMQ worker: the processor is run by hand while a long-poll waits.
const t = createTestApp();
const { app, deps } = t;
const publisher = createRedis(deps.config, 'worker');
const proc = processorDeps(deps.config);
proc.deps.publish = (id) => publisher.publish(sessionEventsChannel(deps.config.QUEUE_PREFIX), id);
afterAll(async () => {
  publisher.disconnect();
  await proc.close();
  await t.close();
});

describe('GET /v1/practice/sessions/:id?waitMs=', () => {
  it('answers the current view when the wait runs out', async () => {
    const user = await createUser(app);
    const { body } = await submitText(app, user);
    const res = await request(app)
      .get(`/v1/practice/sessions/${body.sessionId}?waitMs=150`)
      .set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'QUEUED', result: null });
  });

  it('is woken by the completion event, long before waitMs', { timeout: 15_000 }, async () => {
    const user = await createUser(app);
    const { body } = await submitText(app, user);
    const sessionId = body.sessionId as string;
    // 30 s wait against a 15 s test timeout: only the event can end this request in time.
    const poll = request(app)
      .get(`/v1/practice/sessions/${sessionId}?waitMs=30000`)
      .set(user.auth)
      .then((r) => r);
    await expect.poll(() => deps.sessionEvents.waiting, { timeout: 10_000, interval: 10 }).toBe(1);
    expect(await scoreSession({ sessionId }, proc.deps)).toBe('applied');
    const res = await poll;
    expect(res.body.status).toBe('COMPLETED');
    expect(res.body.result.score).toEqual(expect.any(Number));
    expect(deps.sessionEvents.waiting).toBe(0);
  });

  it('answers a finished session at once', async () => {
    const user = await createUser(app);
    const { body } = await submitText(app, user);
    await scoreSession({ sessionId: body.sessionId as string }, proc.deps);
    const res = await request(app)
      .get(`/v1/practice/sessions/${body.sessionId}?waitMs=30000`)
      .set(user.auth);
    expect(res.body.status).toBe('COMPLETED');
  });
});

describe('purgeExpiredIdempotencyKeys', () => {
  it('deletes only expired keys', async () => {
    const user = await createUser(app);
    await submitText(app, user, undefined, 'live-key');
    await submitText(app, user, undefined, 'old-key');
    await deps.prisma.idempotencyKey.updateMany({
      where: { userId: user.id, key: 'old-key' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await purgeExpiredIdempotencyKeys(deps.prisma)).toBeGreaterThanOrEqual(1);
    const keys = await deps.prisma.idempotencyKey.findMany({ where: { userId: user.id } });
    expect(keys.map((k) => k.key)).toEqual(['live-key']);
  });
});
