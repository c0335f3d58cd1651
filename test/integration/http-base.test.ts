import { once } from 'node:events';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';

const t = createTestApp();
const { app } = t;
afterAll(() => t.close());

describe('HTTP base', () => {
  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const echoed = await request(app).get('/v1/health').set('X-Request-Id', 'abc-123');
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const generated = await request(app).get('/v1/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await request(app).get('/v1/health').set('X-Request-Id', 'a b<script>');
    expect(unsafe.headers['x-request-id']).not.toBe('a b<script>');
  });

  it('answers a 404 problem for unknown routes', async () => {
    const res = await request(app).get('/v1/nope').set('X-Request-Id', 'req-404');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      ok: false,
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      requestId: 'req-404',
    });
    expect(res.body.type).toMatch(/^https:\/\//);
  });

  it('answers 400 MALFORMED_JSON for a broken body, without internals', async () => {
    const res = await request(app)
      .post('/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c", "password": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MALFORMED_JSON');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|SyntaxError|node_modules/);
  });

  it('answers 413 for a 2 MiB body', async () => {
    const res = await request(app)
      .post('/v1/auth/signup')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sets security headers and hides the framework', async () => {
    const res = await request(app).get('/v1/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows only configured CORS origins', async () => {
    const cors = createTestApp({ CORS_ORIGINS: 'https://app.socialgym.dev' });
    try {
      const allowed = await request(cors.app)
        .get('/v1/health')
        .set('Origin', 'https://app.socialgym.dev');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.socialgym.dev');
      const denied = await request(cors.app)
        .get('/v1/health')
        .set('Origin', 'https://evil.example');
      expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await cors.close();
    }
  });
});

describe('GET /v1/health', () => {
  it('answers 200 while the process runs', async () => {
    const res = await request(app).get('/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'up' });
  });
});

describe('GET /v1/health/ready', () => {
  it('answers 200 when Postgres and Redis answer', async () => {
    const res = await request(app).get('/v1/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, checks: { db: 'up', redis: 'up' } });
  });

  it('answers 503 naming redis when Redis is unreachable', async () => {
    const broken = createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await request(broken.app).get('/v1/health/ready');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({
        ok: false,
        code: 'NOT_READY',
        checks: { db: 'up', redis: 'down' },
      });
      expect(res.body.detail).toContain('redis');
    } finally {
      await broken.close();
    }
  });

  it('answers 503 naming db when Postgres is unreachable', async () => {
    const broken = createTestApp({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });
    try {
      if (broken.deps.redis.status !== 'ready') await once(broken.deps.redis, 'ready');
      const res = await request(broken.app).get('/v1/health/ready');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ ok: false, checks: { db: 'down', redis: 'up' } });
    } finally {
      await broken.close();
    }
  });
});
