import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashResetToken } from '../../api/auth/password-reset.js';
import { seedCatalog } from '../../prisma/catalog.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import {
  operationDriver,
  operationsOf,
  responseChecker,
  type Answer,
  type OpenApiDoc,
} from '../helpers/openapi.js';
import { GOOD_CHAT } from '../helpers/practice.js';
import { appWithWorker } from '../helpers/stack.js';

// Flags on, so the flagged routes answer as documented; a real worker scores the sessions.
const t = appWithWorker({
  ENABLE_DEV_ROUTES: 'true',
  FEATURE_CHAT: 'true',
  FEATURE_POWERUPS: 'true',
});
const app = t.app;

let doc: OpenApiDoc;
let check: ReturnType<typeof responseChecker>;
const { call, submitAndComplete, exercised } = operationDriver(app, () => check);

let user: TestUser;
let other: TestUser;
beforeAll(async () => {
  await seedCatalog(t.deps.prisma);
  doc = (await request(app).get('/v1/openapi.json').expect(200)).body as OpenApiDoc;
  check = responseChecker(doc);
  [user, other] = await Promise.all([createUser(app), createUser(app)]);
});

describe('responses match the OpenAPI document', () => {
  it('ops: the document itself, metrics, liveness and readiness', async () => {
    await call('get', '/v1/openapi.json', { expect: 200 });
    await call('get', '/metrics', { expect: 200 });
    await call('get', '/v1/health', { expect: 200 });
    await call('get', '/v1/health/ready', { expect: 200 });
  });

  it('auth: signup, login, refresh, logout, revoke and their refusals', async () => {
    const email = `openapi-${randomUUID()}@example.com`;
    const password = 'correct horse battery';
    const signup = await call('post', '/v1/auth/signup', {
      body: { email, password },
      expect: 201,
    });
    expect(signup.headers['cache-control']).toContain('no-store');
    await call('post', '/v1/auth/signup', { body: { email, password }, expect: 409 });
    await call('post', '/v1/auth/signup', { body: { email: 'nope', password }, expect: 400 });
    const login = await call('post', '/v1/auth/login', { body: { email, password }, expect: 200 });
    await call('post', '/v1/auth/login', {
      body: { email, password: 'wrong password!' },
      expect: 401,
    });
    const { refreshToken } = login.body as { refreshToken: string };
    await call('post', '/v1/auth/refresh', { body: { refreshToken }, expect: 200 });
    await call('post', '/v1/auth/refresh', { body: { refreshToken: 'bogus' }, expect: 401 });

    const leaving = await createUser(app);
    await call('post', '/v1/auth/revoke', {
      user: leaving,
      body: { userId: other.id },
      expect: 403,
    });
    await call('post', '/v1/auth/logout', { expect: 401 });
    await call('post', '/v1/auth/logout', {
      user: leaving,
      body: { refreshToken: leaving.refreshToken },
      expect: 200,
    });
    await call('post', '/v1/auth/revoke', { user: await createUser(app), body: {}, expect: 200 });
  });

  it('profile: read and update preferences', async () => {
    await call('get', '/v1/profile', { expect: 401 });
    await call('get', '/v1/profile', { user, expect: 200 });
    await call('patch', '/v1/profile/preferences', {
      user,
      body: { gender: 'OTHER', attractedTo: 'BOTH' },
      expect: 200,
    });
    await call('patch', '/v1/profile/preferences', { user, body: {}, expect: 400 });
  });

  it('catalog: personas and templates', async () => {
    const personas = await call('get', '/v1/personas', { user, expect: 200 });
    expect((personas.body as { personas: unknown[] }).personas.length).toBeGreaterThan(0);
    const templates = await call('get', '/v1/templates', { user, expect: 200 });
    expect((templates.body as { templates: unknown[] }).templates.length).toBeGreaterThan(0);
    await call('get', '/v1/templates', { user, query: { category: 'NOPE' }, expect: 400 });
  });

  it('practice: text, voice and A/B sessions, scored, replayed and listed', async () => {
    const text = await submitAndComplete(user, '/v1/practice/session', { messages: GOOD_CHAT });
    const voice = await submitAndComplete(user, '/v1/practice/voice-session', {
      transcript: 'So, um, I think we should try the new ramen place on Friday, what do you say?',
      durationSec: 6,
    });
    const ab = await submitAndComplete(user, '/v1/practice/ab-session', {
      prompt: 'I just got back from a week of hiking in the Alps',
      optionA: 'That sounds amazing! Which trail was your favourite?',
      optionB: 'ok',
    });
    expect((text.body as { result: { ai: unknown } }).result.ai).toBeDefined();
    // The checks bite: a deep field of the wrong type, or one the document lacks, fails.
    const view = text.body as { result: { rewards: Record<string, unknown> } };
    const altered = (body: unknown): Answer => ({
      status: 200,
      headers: text.headers,
      body,
      text: JSON.stringify(body),
    });
    const path = '/v1/practice/sessions/{id}';
    const wrongType = structuredClone(view);
    wrongType.result.rewards.xpGained = 'lots';
    expect(() => {
      check('get', path, altered(wrongType));
    }).toThrow(/xpGained|integer/);
    const extra = structuredClone(view);
    extra.result.rewards.undocumented = 1;
    expect(() => {
      check('get', path, altered(extra));
    }).toThrow(/additional/);
    expect((voice.body as { result: { transcript: unknown } }).result.transcript).toBeTruthy();
    expect((ab.body as { result: { ab: unknown } }).result.ab).toBeTruthy();

    // A replay of a finished session answers 200 with its view; the key with another body 422.
    const key = randomUUID();
    const first = await call('post', '/v1/practice/session', {
      user: other,
      headers: { 'Idempotency-Key': key },
      body: { messages: GOOD_CHAT },
      expect: 202,
    });
    const id = (first.body as { sessionId: string }).sessionId;
    await call('get', '/v1/practice/sessions/{id}', {
      params: { id },
      user: other,
      query: { waitMs: 30000 },
      expect: 200,
    });
    const replay = await call('post', '/v1/practice/session', {
      user: other,
      headers: { 'Idempotency-Key': key },
      body: { messages: GOOD_CHAT },
      expect: 200,
    });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await call('post', '/v1/practice/session', {
      user: other,
      headers: { 'Idempotency-Key': key },
      body: { messages: [{ role: 'USER', content: 'something else' }] },
      expect: 422,
    });
    await call('post', '/v1/practice/session', {
      user,
      body: { messages: GOOD_CHAT },
      expect: 400,
    });
    await call('post', '/v1/practice/session', {
      user,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { messages: [{ role: 'AI', content: 'hello there' }] },
      expect: 400,
    });
    // No transcription provider in tests: an audio upload is refused up front.
    const upload = await request(app)
      .post('/v1/practice/voice-session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .attach('audio', Buffer.from('RIFF'), { filename: 'a.wav', contentType: 'audio/wav' });
    expect(upload.status).toBe(503);
    check('post', '/v1/practice/voice-session', upload);

    await call('get', '/v1/practice/sessions/{id}', {
      params: { id },
      user,
      expect: 404,
    });
    const list = await call('get', '/v1/practice/sessions', {
      user,
      query: { limit: 2 },
      expect: 200,
    });
    const page = list.body as { items: unknown[]; nextCursor: string | null };
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    await call('get', '/v1/practice/sessions', {
      user,
      query: { cursor: page.nextCursor ?? '' },
      expect: 200,
    });
    await call('get', '/v1/practice/sessions', { user, query: { cursor: '!!' }, expect: 400 });
  });

  it('dashboard, wallet and ledger after scored sessions (and for a new user)', async () => {
    const fresh = await createUser(app);
    await call('get', '/v1/stats/dashboard', { user: fresh, expect: 200 });
    const dashboard = await call('get', '/v1/stats/dashboard', { user, expect: 200 });
    expect((dashboard.body as { stats: { latest: unknown } }).stats.latest).not.toBeNull();
    await call('get', '/v1/wallet/me', { user, expect: 200 });
    const ledger = await call('get', '/v1/wallet/transactions', { user, expect: 200 });
    expect((ledger.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
    await call('get', '/v1/wallet/transactions', { user, query: { limit: 0 }, expect: 400 });
  });

  it('legacy and flagged routes', async () => {
    await call('get', '/v1/dashboard/summary', { user, expect: 200 });
    await call('get', '/v1/sessions/dashboard/summary', { user, expect: 200 });
    const mock = await call('post', '/v1/sessions/mock', {
      user,
      headers: { 'Idempotency-Key': randomUUID() },
      expect: 202,
    });
    const sessionId = (mock.body as { sessionId: string }).sessionId;
    await call('post', '/v1/sessions/mock', { user, expect: 400 });
    await call('post', '/v1/chat/message', {
      user,
      body: { sessionId, content: 'And one more thing' },
      expect: 201,
    });
    await call('post', '/v1/chat/message', {
      user: other,
      body: { sessionId, content: 'Not my session' },
      expect: 404,
    });
    await call('get', '/v1/powerups/available', { user, expect: 200 });
  });

  // Last: a route in the document that no test above drove to a success fails here, so a route
  // added later must be added to this file.
  it('account lifecycle: password change and reset, missions, export, deletion', async () => {
    const member = await createUser(app);
    await call('get', '/v1/missions', { expect: 401 });
    await call('get', '/v1/missions', { user: member, expect: 200 });
    await call('get', '/v1/missions', { user: member, query: { category: 'NOPE' }, expect: 400 });

    await call('post', '/v1/auth/password', {
      user: member,
      body: { currentPassword: 'not my password', newPassword: 'another good password' },
      expect: 401,
    });
    const changed = await call('post', '/v1/auth/password', {
      user: member,
      body: { currentPassword: member.password, newPassword: 'another good password' },
      expect: 200,
    });
    const { accessToken } = changed.body as { accessToken: string };
    const fresh = { ...member, auth: { Authorization: `Bearer ${accessToken}` } };

    await call('post', '/v1/auth/password-reset/request', {
      body: { email: member.email },
      expect: 202,
    });
    await call('post', '/v1/auth/password-reset/request', { body: { email: 'x' }, expect: 400 });
    // Mail is off in this app, so no link was sent: store one as the reset request would.
    const token = randomBytes(32).toString('base64url');
    await t.deps.prisma.passwordResetToken.create({
      data: {
        userId: member.id,
        tokenHash: hashResetToken(token),
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    await call('post', '/v1/auth/password-reset/confirm', {
      body: { token: 'unknown-token', newPassword: 'a third good password' },
      expect: 400,
    });
    await call('post', '/v1/auth/password-reset/confirm', {
      body: { token, newPassword: 'a third good password' },
      expect: 200,
    });

    const login = await request(app)
      .post('/v1/auth/login')
      .send({ email: member.email, password: 'a third good password' })
      .expect(200);
    const session = {
      ...fresh,
      auth: { Authorization: `Bearer ${String(login.body.accessToken)}` },
    };
    const exported = await call('get', '/v1/account/export', { user: session, expect: 200 });
    expect(exported.headers['content-disposition']).toMatch(/^attachment/);
    await call('delete', '/v1/account', {
      user: session,
      body: { password: 'wrong password!' },
      expect: 401,
    });
    await call('delete', '/v1/account', {
      user: session,
      body: { password: 'a third good password' },
      expect: 204,
    });
  });

  it('drove every operation of the document to a success', () => {
    const succeeded = (op: string) => [...(exercised.get(op) ?? [])].some((s) => s < 300);
    expect(operationsOf(doc).filter((op) => !succeeded(op))).toEqual([]);
  });
});
