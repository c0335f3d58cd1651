import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { submitText, waitForTerminal } from '../helpers/practice.js';
import { appWithWorker } from '../helpers/stack.js';

const off = createTestApp();
const on = appWithWorker({
  ENABLE_DEV_ROUTES: 'true',
  FEATURE_CHAT: 'true',
  FEATURE_POWERUPS: 'true',
});
afterAll(() => off.close());

describe('deprecated dashboard aliases', () => {
  for (const path of ['/v1/dashboard/summary', '/v1/sessions/dashboard/summary']) {
    it(`${path} answers the dashboard body with deprecation headers`, async () => {
      expect((await request(off.app).get(path)).status).toBe(401);
      const user = await createUser(off.app);
      const [legacy, canonical] = await Promise.all([
        request(off.app).get(path).set(user.auth),
        request(off.app).get('/v1/stats/dashboard').set(user.auth),
      ]);
      expect(legacy.status).toBe(200);
      expect(legacy.body).toEqual(canonical.body);
      expect(legacy.headers.deprecation).toBe('true');
      expect(new Date(legacy.headers.sunset as string).getTime()).toBeGreaterThan(Date.now());
      expect(legacy.headers.link).toBe('</v1/stats/dashboard>; rel="successor-version"');
      expect(canonical.headers.deprecation).toBeUndefined();
    });
  }
});

describe('POST /v1/sessions/mock', () => {
  it('is 404 unless ENABLE_DEV_ROUTES=true', async () => {
    const user = await createUser(off.app);
    const res = await request(off.app)
      .post('/v1/sessions/mock')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .send({});
    expect(res.status).toBe(404);
  });

  it('runs the real pipeline on a sample conversation when enabled', async () => {
    const user = await createUser(on.app);
    expect(
      (await request(on.app).post('/v1/sessions/mock').set(user.auth).send({})).body.code,
    ).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const key = randomUUID();
    const res = await request(on.app)
      .post('/v1/sessions/mock')
      .set(user.auth)
      .set('Idempotency-Key', key)
      .send({});
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ ok: true, status: 'QUEUED', mode: 'text' });
    const done = await waitForTerminal(on.app, user, res.body.sessionId as string);
    expect(done.body.status).toBe('COMPLETED');
    const replay = await request(on.app)
      .post('/v1/sessions/mock')
      .set(user.auth)
      .set('Idempotency-Key', key)
      .send({});
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});

describe('POST /v1/chat/message', () => {
  it('is 404 while FEATURE_CHAT is off', async () => {
    const user = await createUser(off.app);
    const res = await request(off.app)
      .post('/v1/chat/message')
      .set(user.auth)
      .send({ sessionId: 'x', content: 'hi' });
    expect(res.status).toBe(404);
  });

  it("appends USER messages to the caller's own session in any state, and 404s for others'", async () => {
    const [owner, other] = await Promise.all([createUser(on.app), createUser(on.app)]);
    expect(
      (await request(on.app).post('/v1/chat/message').send({ sessionId: 'x', content: 'hi' }))
        .status,
    ).toBe(401);
    const submitted = await submitText(on.app, owner);
    const sessionId = submitted.body.sessionId as string;
    // Appended while scoring may still run: it lands after the submitted conversation.
    const early = await request(on.app)
      .post('/v1/chat/message')
      .set(owner.auth)
      .send({ sessionId, content: 'Also!' });
    expect(early.status).toBe(201);
    expect(early.body.message).toMatchObject({
      sessionId,
      index: 4,
      role: 'USER',
      content: 'Also!',
    });
    const done = await waitForTerminal(on.app, owner, sessionId);
    expect(done.body.status).toBe('COMPLETED');
    const res = await request(on.app)
      .post('/v1/chat/message')
      .set(owner.auth)
      .send({ sessionId, content: 'One more thing!' });
    expect(res.status).toBe(201);
    expect(res.body.message.index).toBe(5);
    const theirs = await request(on.app)
      .post('/v1/chat/message')
      .set(other.auth)
      .send({ sessionId, content: 'hijack' });
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe('SESSION_NOT_FOUND');
    const invalid = await request(on.app)
      .post('/v1/chat/message')
      .set(owner.auth)
      .send({ sessionId, content: '' });
    expect(invalid.status).toBe(400);
    const rows = await on.deps.prisma.chatMessage.findMany({
      where: { sessionId },
      orderBy: { index: 'asc' },
    });
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives 40 concurrent appends to one session 40 distinct indexes, never a 500', async () => {
    const owner = await createUser(on.app);
    const submit = await submitText(on.app, owner);
    const sessionId = String(submit.body.sessionId);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(on.app)
          .post('/v1/chat/message')
          .set(owner.auth)
          .send({ sessionId, content: `line ${String(i)}` }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 40 }, () => 201));
    const indexes = answers.map((r) => (r.body as { message: { index: number } }).message.index);
    // The submitted conversation holds 0..3; appends take 4..43, each once.
    expect([...indexes].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 4));
  });
});

describe('GET /v1/powerups/available', () => {
  it('is 404 while FEATURE_POWERUPS is off', async () => {
    const user = await createUser(off.app);
    expect((await request(off.app).get('/v1/powerups/available').set(user.auth)).status).toBe(404);
  });

  it('lists the power-up catalog and the caller’s usages when on', async () => {
    const user = await createUser(on.app);
    const { seedCatalog } = await import('../../prisma/catalog.js');
    await seedCatalog(on.deps.prisma);
    const res = await request(on.app).get('/v1/powerups/available').set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body.powerups.length).toBeGreaterThan(0);
    expect(res.body.powerups[0]).toEqual({
      code: expect.any(String),
      name: expect.any(String),
      description: expect.any(String),
      gemCost: expect.any(Number),
      maxUsesPerSession: expect.any(Number),
    });
    expect(res.body.usages).toEqual([]);
  });
});
