import { once } from 'node:events';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';

const admin = { ADMIN_USER: 'ops', ADMIN_PASSWORD: 'correct-horse-battery' };
const plain = createTestApp();
const ops = createTestApp({ ...admin, METRICS_TOKEN: 'metrics-token-0123456789' });
const production = createTestApp({ NODE_ENV: 'production' });
const productionWithToken = createTestApp({
  NODE_ENV: 'production',
  METRICS_TOKEN: 'metrics-token-0123456789',
});
/** Bull Board behind a proxy with tight limits on failed admin authentication. */
const guarded = createTestApp({
  ...admin,
  TRUST_PROXY: '1',
  RATE_LIMIT_LOGIN_PER_IP: '20',
  RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '5',
  RATE_LIMIT_LOGIN_PER_ACCOUNT: '11',
  RATE_LIMIT_LOGIN_ACCOUNT_WINDOW: '15m',
});
const readOnly = createTestApp({ ...admin, BULL_BOARD_READ_ONLY: 'true' });
const apps = [plain, ops, production, productionWithToken, guarded, readOnly];
afterAll(() => Promise.all(apps.map((a) => a.close())));
beforeAll(async () => {
  // Limits fail open while Redis is unreachable; wait for the connection so they count.
  if (guarded.deps.redis.status !== 'ready') await once(guarded.deps.redis, 'ready');
});

describe('GET /metrics', () => {
  it('serves Prometheus text with HTTP latency by route and queue depth', async () => {
    await request(plain.app).get('/v1/health');
    const res = await request(plain.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(
      /http_request_duration_seconds_bucket\{.*route="\/v1\/health\/".*status="200"/,
    );
    expect(res.text).toMatch(/queue_jobs\{queue="scoring",state="waiting"\}/);
  });

  it('requires the token when METRICS_TOKEN is set', async () => {
    expect((await request(ops.app).get('/metrics')).status).toBe(401);
    expect(
      (await request(ops.app).get('/metrics').set('Authorization', 'Bearer wrong')).status,
    ).toBe(401);
    const ok = await request(ops.app)
      .get('/metrics')
      .set('Authorization', 'Bearer metrics-token-0123456789');
    expect(ok.status).toBe(200);
  });
});

describe('GET /metrics in production', () => {
  it('is not served (404) without METRICS_TOKEN, whatever the request carries', async () => {
    expect((await request(production.app).get('/metrics')).status).toBe(404);
    const withBearer = await request(production.app)
      .get('/metrics')
      .set('Authorization', 'Bearer metrics-token-0123456789');
    expect(withBearer.status).toBe(404);
  });

  it('is served only for the token when METRICS_TOKEN is set', async () => {
    const anonymous = await request(productionWithToken.app).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    const ok = await request(productionWithToken.app)
      .get('/metrics')
      .set('Authorization', 'Bearer metrics-token-0123456789');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('http_request_duration_seconds');
  });
});

describe('GET /v1/openapi.json and /docs', () => {
  it('serves an OpenAPI 3.1 document generated from the request schemas', async () => {
    const res = await request(plain.app).get('/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const signup = res.body.paths['/v1/auth/signup'].post;
    const schema = signup.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties as object)).toEqual(
      expect.arrayContaining(['email', 'password', 'timezone']),
    );
    expect(schema.additionalProperties).toBe(false);
    for (const path of ['/v1/auth/signup', '/v1/auth/login', '/v1/auth/refresh']) {
      const ok = Object.values(res.body.paths[path].post.responses as object)[0];
      expect(ok.headers['Cache-Control'].schema.enum).toEqual(['no-store']);
    }
    const text = res.body.paths['/v1/practice/session'].post;
    expect(
      text.parameters.some(
        (p: { name: string; in: string }) => p.name === 'idempotency-key' && p.in === 'header',
      ),
    ).toBe(true);
    expect(
      res.body.paths['/v1/practice/sessions/{id}'].get.parameters.map(
        (p: { name: string }) => p.name,
      ),
    ).toEqual(expect.arrayContaining(['id', 'waitMs']));
  });

  it('serves the interactive reference', async () => {
    const res = await request(plain.app).get('/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });
});

describe('/admin/queues (Bull Board)', () => {
  it('is disabled without admin credentials', async () => {
    expect((await request(plain.app).get('/admin/queues')).status).toBe(404);
  });

  it('requires admin authentication: Basic or an ADMIN access token', async () => {
    expect((await request(ops.app).get('/admin/queues')).status).toBe(401);
    expect((await request(ops.app).get('/admin/queues').auth('ops', 'wrong-password')).status).toBe(
      401,
    );
    const basic = await request(ops.app).get('/admin/queues').auth('ops', 'correct-horse-battery');
    expect(basic.status).toBe(200);
    expect(basic.text).toMatch(/<html/i);
    const api = await request(ops.app)
      .get('/admin/queues/api/queues')
      .auth('ops', 'correct-horse-battery');
    expect(api.status).toBe(200);
    expect(JSON.stringify(api.body)).toContain('scoring');

    const user = await createUser(ops.app);
    expect((await request(ops.app).get('/admin/queues').set(user.auth)).status).toBe(401);
    await ops.deps.prisma.user.update({ where: { id: user.id }, data: { role: 'ADMIN' } });
    expect((await request(ops.app).get('/admin/queues').set(user.auth)).status).toBe(200);
  });
});

describe('/admin/queues failed authentication', () => {
  const board = (from: string) =>
    request(guarded.app).get('/admin/queues/api/queues').set('X-Forwarded-For', from);

  it('is rate limited like logins: a burst of guesses gets 429 after the limit', async () => {
    const attacker = '203.0.113.50';
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => board(attacker).auth('ops', `guess-${String(i)}`)),
    );
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    const limited = guesses.find((r) => r.status === 429);
    expect(limited?.body.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    // The right password from the guessing address is refused too; from elsewhere it works.
    expect((await board(attacker).auth('ops', 'correct-horse-battery')).status).toBe(429);
    expect((await board('198.51.100.50').auth('ops', 'correct-horse-battery')).status).toBe(200);
  });

  it('does not count a request without credentials (a browser asking for them)', async () => {
    const address = '203.0.113.51';
    for (let i = 0; i < 10; i++) expect((await board(address)).status).toBe(401);
    expect((await board(address).auth('ops', 'correct-horse-battery')).status).toBe(200);
  });
});

describe('/admin/queues read-only mode (BULL_BOARD_READ_ONLY)', () => {
  it('shows the queues but refuses every change', async () => {
    const list = await request(readOnly.app)
      .get('/admin/queues/api/queues')
      .auth('ops', 'correct-horse-battery');
    expect(list.status).toBe(200);
    const queues = list.body.queues as { name: string; readOnlyMode: boolean }[];
    expect(queues.map((q) => q.readOnlyMode)).toEqual(queues.map(() => true));

    const pause = await request(readOnly.app)
      .put('/admin/queues/api/queues/scoring/pause')
      .auth('ops', 'correct-horse-battery');
    expect(pause.status).toBe(405);
    expect(await readOnly.deps.scoringQueue.isPaused()).toBe(false);
  });

  it('is off by default: the same change is made', async () => {
    const pause = await request(ops.app)
      .put('/admin/queues/api/queues/scoring/pause')
      .auth('ops', 'correct-horse-battery');
    expect(pause.status).toBe(200);
    expect(await ops.deps.scoringQueue.isPaused()).toBe(true);
    await ops.deps.scoringQueue.resume();
  });
});

describe('ops visibility (issue 10)', () => {
  const watched = createTestApp({ RATE_LIMIT_SUBMITS_PER_USER: '2' });
  afterAll(() => watched.close());

  it('exports replays, rate-limit rejections, FAILED sessions by code, workers and the oldest QUEUED age', async () => {
    if (watched.deps.redis.status !== 'ready') await once(watched.deps.redis, 'ready');
    const user = await createUser(watched.app);
    const submit = (key: string) =>
      request(watched.app)
        .post('/v1/practice/session')
        .set(user.auth)
        .set('Idempotency-Key', key)
        .send({ messages: [{ role: 'USER', content: 'Coffee on Saturday, then the market?' }] });
    expect((await submit('m-1')).status).toBe(202);
    const replay = await submit('m-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await submit('m-2')).status).toBe(429);
    // A session that failed, as the worker records it.
    const failed = await watched.deps.prisma.practiceSession.findFirstOrThrow({
      where: { userId: user.id },
    });
    const other = await createUser(watched.app);
    await watched.deps.prisma.practiceSession.create({
      data: {
        userId: other.id,
        mode: 'TEXT',
        input: failed.input ?? {},
        status: 'FAILED',
        errorCode: 'SCORING_FAILED',
      },
    });
    const text = (await request(watched.app).get('/metrics')).text;
    expect(text).toMatch(/^idempotent_replays_total\{route="\/v1\/practice\/session"\} 1$/m);
    expect(text).toMatch(/^rate_limited_total\{route="\/v1\/practice\/session"\} 1$/m);
    // The database is shared with earlier test files: compare with what it holds.
    const failedCount = await watched.deps.prisma.practiceSession.count({
      where: { status: 'FAILED', errorCode: 'SCORING_FAILED' },
    });
    expect(failedCount).toBeGreaterThan(0);
    expect(text).toMatch(
      new RegExp(`^sessions_failed\\{code="SCORING_FAILED"\\} ${String(failedCount)}$`, 'm'),
    );
    // No worker runs against this prefix; the accepted session waits.
    expect(text).toMatch(/^queue_workers\{queue="scoring"\} 0$/m);
    const age = Number(/^sessions_oldest_queued_age_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThan(0);
  });
});
