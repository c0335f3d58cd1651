import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';

const t = createTestApp({
  ENABLE_DEV_ROUTES: 'true',
  FEATURE_CHAT: 'true',
  FEATURE_POWERUPS: 'true',
});
const { app, deps } = t;
let user: TestUser;
beforeAll(async () => {
  user = await createUser(app);
});
afterAll(() => t.close());

// Logout and revoke are left out: a valid call ends the fuzzing user's token (they have their own tests).
const ROUTES = [
  ['post', '/v1/auth/signup'],
  ['post', '/v1/auth/login'],
  ['post', '/v1/auth/refresh'],
  ['patch', '/v1/profile/preferences'],
  ['post', '/v1/practice/session'],
  ['post', '/v1/practice/voice-session'],
  ['post', '/v1/practice/ab-session'],
  ['post', '/v1/chat/message'],
] as const;

/** JSON-ish values, with the strings that tend to break things (NUL, surrogates, huge, SQL). */
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '\u0000',
    '\ud800',
    '\'; DROP TABLE "User"; --',
    '__proto__',
    'x'.repeat(5000),
    '💥'.repeat(50),
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const body = fc.oneof(
  fc.dictionary(
    fc.oneof(
      fc.string(),
      fc.constantFrom(
        'messages',
        'role',
        'content',
        'transcript',
        'optionA',
        'email',
        'password',
        'gender',
        'timezone',
        'sessionId',
      ),
    ),
    fc.oneof(
      nasty,
      fc.array(nasty),
      fc.array(fc.dictionary(fc.constantFrom('role', 'content', 'timestamp'), nasty)),
    ),
  ),
  fc.array(nasty),
);

describe('fuzzed bad input', () => {
  it('never answers 5xx, and every error is a problem+json with a code', async () => {
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, async ([method, path], payload) => {
        const agent = request(app);
        const res = await agent[method](path)
          .set(user.auth)
          .set('Idempotency-Key', randomUUID())
          .send(payload);
        statuses.push(res.status);
        expect(
          res.status,
          `${method} ${path} ${JSON.stringify(payload).slice(0, 200)}`,
        ).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(res.body.code).toMatch(/^[A-Z_]+$/);
        }
      }),
      { numRuns: 300, seed: 20261125 },
    );
    // The caller stayed authenticated throughout, so validation (not auth) answered.
    expect(statuses.filter((s) => s === 401).length).toBeLessThan(statuses.length / 3);
    expect(statuses).toContain(400);
  });

  it('rejects NUL characters and odd cursors with 400, and impossible ids with 404', async () => {
    const nul = await request(app)
      .post('/v1/practice/session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .send({ messages: [{ role: 'USER', content: 'hi\u0000there' }] });
    expect(nul.status).toBe(400);
    expect(nul.body.code).toBe('INVALID_CHARACTERS');
    const surrogate = await request(app)
      .post('/v1/practice/session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .set('Content-Type', 'application/json')
      .send('{"messages":[{"role":"USER","content":"hi \\ud800 there"}]}');
    expect(surrogate.status).toBe(202);
    const stored = await deps.prisma.practiceSession.findUniqueOrThrow({
      where: { id: surrogate.body.sessionId as string },
    });
    expect(JSON.stringify(stored.input)).toContain('hi \uFFFD there');
    await deps.prisma.practiceSession.delete({ where: { id: stored.id } });
    // The six characters \u0000 as text (an escaped backslash) are fine.
    const literal = await request(app)
      .post('/v1/practice/session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .set('Content-Type', 'application/json')
      .send('{"messages":[{"role":"USER","content":"type \\\\u0000 to escape"}]}');
    expect(literal.status).toBe(202);
    await deps.prisma.practiceSession.delete({ where: { id: literal.body.sessionId as string } });
    const yearZero = Buffer.from('0000-01-01T00:00:00.000Z|x').toString('base64url');
    const nulId = Buffer.from('2024-01-01T00:00:00.000Z|\u0000').toString('base64url');
    for (const path of [
      `/v1/practice/sessions?cursor=${yearZero}`,
      `/v1/wallet/transactions?cursor=${nulId}`,
      '/v1/practice/sessions?cursor=%00',
      '/v1/practice/sessions?limit=0',
      '/v1/practice/sessions?limit=abc&limit=2',
      '/v1/wallet/transactions?cursor=bm9wZQ',
    ]) {
      const res = await request(app).get(path).set(user.auth);
      expect(res.status, path).toBe(400);
    }
    for (const path of [
      '/v1/practice/sessions/%00',
      "/v1/practice/sessions/1'or'1",
      '/v1/practice/sessions/a%20b',
    ]) {
      const res = await request(app).get(path).set(user.auth);
      expect(res.status, path).toBe(404);
      expect(res.body.code).toBe('SESSION_NOT_FOUND');
    }
    expect(await deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
  });
});
