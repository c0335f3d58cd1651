import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createUser } from '../helpers/factories.js';
import {
  GOOD_CHAT,
  expectConsistentRewards,
  submitText,
  waitForTerminal,
} from '../helpers/practice.js';
import { appWithWorker } from '../helpers/stack.js';

const { app, deps } = appWithWorker();

describe('POST /v1/practice/session', () => {
  it('requires authentication', async () => {
    const res = await request(app)
      .post('/v1/practice/session')
      .set('Idempotency-Key', randomUUID())
      .send({ messages: GOOD_CHAT });
    expect(res.status).toBe(401);
  });

  it('requires an Idempotency-Key', async () => {
    const user = await createUser(app);
    for (const key of [undefined, '', 'ünïcode-key', 'x'.repeat(256)]) {
      const req = request(app).post('/v1/practice/session').set(user.auth);
      if (key !== undefined) void req.set('Idempotency-Key', key);
      const res = await req.send({ messages: GOOD_CHAT });
      expect(res.status, String(key)).toBe(400);
      expect(res.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    }
    expect(await deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it('rejects invalid input with every bad field, creating nothing', async () => {
    const user = await createUser(app);
    const cases: [unknown, string, string[]][] = [
      [{ messages: [] }, 'VALIDATION_FAILED', ['messages']],
      [{}, 'VALIDATION_FAILED', ['messages']],
      [{ messages: 'hi' }, 'VALIDATION_FAILED', ['messages']],
      [
        { messages: [{ role: 'USER', content: '   ' }] },
        'VALIDATION_FAILED',
        ['messages.0.content'],
      ],
      [{ messages: [{ role: 'BOT', content: 'hi' }] }, 'VALIDATION_FAILED', ['messages.0.role']],
      [
        { messages: [{ role: 'USER', content: 'x'.repeat(2001) }] },
        'VALIDATION_FAILED',
        ['messages.0.content'],
      ],
      [
        { messages: Array.from({ length: 61 }, () => ({ role: 'USER', content: 'hi' })) },
        'VALIDATION_FAILED',
        ['messages'],
      ],
      [{ messages: GOOD_CHAT, topic: '' }, 'VALIDATION_FAILED', ['topic']],
      [{ messages: GOOD_CHAT, surprise: true }, 'VALIDATION_FAILED', ['']],
      [
        { messages: [{ role: 'USER', content: 'hi', extra: 1 }] },
        'VALIDATION_FAILED',
        ['messages.0'],
      ],
      [{ messages: [{ role: 'AI', content: 'Hello there' }] }, 'PRACTICE_NO_USER_MESSAGE', []],
      [{ messages: GOOD_CHAT, personaId: 'no-such-persona' }, 'PERSONA_NOT_FOUND', []],
      [{ messages: GOOD_CHAT, templateId: 'no-such-template' }, 'TEMPLATE_NOT_FOUND', []],
    ];
    for (const [body, code, paths] of cases) {
      const res = await submitText(app, user, body as Record<string, unknown>);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.code).toBe(code);
      for (const p of paths) {
        expect((res.body.errors as { path: string }[]).some((e) => e.path.startsWith(p))).toBe(
          true,
        );
      }
    }
    const multi = await submitText(app, user, {
      messages: [],
      topic: 'x'.repeat(201),
      personaId: 5,
    });
    expect((multi.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'messages',
      'personaId',
      'topic',
    ]);
    expect(await deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
    expect(await deps.prisma.idempotencyKey.count({ where: { userId: user.id } })).toBe(0);
  });

  it('answers 202 and queues scoring, then completes with rewards exactly once', async () => {
    const user = await createUser(app);
    const res = await submitText(app, user, { topic: 'Hiking', messages: GOOD_CHAT });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ ok: true, status: 'QUEUED', mode: 'text' });
    const id = res.body.sessionId as string;
    expect(res.body.statusUrl).toBe(`/v1/practice/sessions/${id}`);
    expect(res.headers.location).toBe(`/v1/practice/sessions/${id}`);
    expect(res.headers['retry-after']).toBe('1');

    const done = await waitForTerminal(app, user, id);
    expect(done.body).toMatchObject({
      ok: true,
      sessionId: id,
      status: 'COMPLETED',
      mode: 'text',
      topic: 'Hiking',
      error: null,
    });
    const result = done.body.result;
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.rewards.messages.map((m: { index: number }) => m.index)).toEqual([1, 3]);
    expect(result.ai.perMessage).toHaveLength(2);
    expect(result.ai.perMessage[0]).toMatchObject({
      index: 1,
      microFeedback: expect.any(String),
      safetyFlag: 'OK',
    });
    expect(result.aiCore).toMatchObject({
      provider: 'heuristic',
      version: expect.stringMatching(/^heuristic-/),
    });
    expect(result.aiCore.metrics).toMatchObject({ totalMessages: 2, wordsPerMinute: null });
    expect(result.aiCore.messages[0].traits).toHaveProperty('confidence');
    expect(result.insights.strongestTraits.length).toBeGreaterThan(0);
    expect(result).not.toHaveProperty('transcript');
    expect(result).not.toHaveProperty('ab');
    const xp = result.rewards.messages.reduce((a: number, m: { xp: number }) => a + m.xp, 0);
    expect(result.rewards.xpGained).toBe(xp);

    const messages = await deps.prisma.chatMessage.findMany({
      where: { sessionId: id },
      orderBy: { index: 'asc' },
    });
    expect(messages.map((m) => m.content)).toEqual(GOOD_CHAT.map((m) => m.content));
    expect(messages.map((m) => m.role)).toEqual(['AI', 'USER', 'AI', 'USER']);
    expect(messages[1]).toMatchObject({
      score: result.rewards.messages[0].score,
      rarity: result.rewards.messages[0].rarity,
    });
    expect(messages[0]?.score).toBeNull();

    const { wallet } = await expectConsistentRewards(deps.prisma, user.id);
    expect(wallet.lifetimeXp).toBe(result.rewards.xpGained);
  });

  it('accepts roles in any case and "assistant" as AI', async () => {
    const user = await createUser(app);
    const res = await submitText(app, user, {
      messages: [
        { role: 'assistant', content: 'Which podcasts do you listen to?' },
        {
          role: 'user',
          content: 'Mostly history ones, I binge them while cooking. Any you would recommend?',
        },
      ],
    });
    expect(res.status).toBe(202);
    const done = await waitForTerminal(app, user, res.body.sessionId as string);
    expect(done.body.status).toBe('COMPLETED');
    const roles = await deps.prisma.chatMessage.findMany({
      where: { sessionId: res.body.sessionId as string },
      orderBy: { index: 'asc' },
    });
    expect(roles.map((m) => m.role)).toEqual(['AI', 'USER']);
  });
});

describe('GET /v1/practice/sessions/:id', () => {
  it('requires authentication', async () => {
    expect((await request(app).get(`/v1/practice/sessions/${randomUUID()}`)).status).toBe(401);
  });

  it("answers 404 SESSION_NOT_FOUND for another user's session and for unknown ids", async () => {
    const [owner, other] = await Promise.all([createUser(app), createUser(app)]);
    const res = await submitText(app, owner);
    const id = res.body.sessionId as string;
    const theirs = await request(app).get(`/v1/practice/sessions/${id}`).set(other.auth);
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe('SESSION_NOT_FOUND');
    const unknown = await request(app).get(`/v1/practice/sessions/${randomUUID()}`).set(other.auth);
    expect(unknown.body).toMatchObject({ status: 404, code: 'SESSION_NOT_FOUND' });
    expect((await request(app).get(`/v1/practice/sessions/${id}`).set(owner.auth)).status).toBe(
      200,
    );
  });

  it('rejects a waitMs outside 0-30000', async () => {
    const user = await createUser(app);
    const res = await request(app)
      .get(`/v1/practice/sessions/${randomUUID()}?waitMs=30001`)
      .set(user.auth);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('query.waitMs');
  });
});

describe('GET /v1/practice/sessions', () => {
  it('requires authentication', async () => {
    expect((await request(app).get('/v1/practice/sessions')).status).toBe(401);
  });

  it("lists only the caller's sessions, newest first, with cursor pagination", async () => {
    const [user, other] = await Promise.all([createUser(app), createUser(app)]);
    await submitText(app, other);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submitText(app, user)).body.sessionId as string);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await request(app)
        .get('/v1/practice/sessions')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(user.auth);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const item of res.body.items) {
        expect(item).not.toHaveProperty('ok');
        if (item.result) {
          expect(item.result).not.toHaveProperty('ai');
          expect(item.result.aiCore).not.toHaveProperty('messages');
        }
        seen.push(item.sessionId as string);
      }
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const bad = await request(app).get('/v1/practice/sessions?cursor=@@@&limit=101').set(user.auth);
    expect(bad.status).toBe(400);
  });
});
