import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';

const plain = createTestApp();
const ops = createTestApp({
  ADMIN_USER: 'ops',
  ADMIN_PASSWORD: 'correct-horse-battery',
  METRICS_TOKEN: 'metrics-token-0123456789',
});
afterAll(() => Promise.all([plain.close(), ops.close()]));

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
