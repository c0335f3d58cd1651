import { connect } from 'node:net';
import { once } from 'node:events';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../../api/auth/tokens.js';
import { buildApp } from '../../api/app.js';
import { createAppDeps } from '../../api/deps.js';
import { testConfig } from '../helpers/config.js';
import { createUser } from '../helpers/factories.js';

/** Issue 10: requests that cannot be decoded, and a database that cannot be reached. */

/** The app with a logger whose lines the test can read. */
function appWithLogs(env: Record<string, string> = {}) {
  const lines: { level: number; msg: string; err?: unknown }[] = [];
  const config = testConfig({ LOG_LEVEL: 'info', ...env });
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const deps = createAppDeps(config, logger, { dbPoolSize: 2 });
  return { app: buildApp(deps), deps, config, lines, close: deps.close };
}

const WARN = 40;
const ERROR = 50;

describe('undecodable requests', () => {
  const t = appWithLogs();
  afterAll(() => t.close());

  it('answers an invalid gzip body 400 MALFORMED_REQUEST, logged at warn without a stack', async () => {
    const user = await createUser(t.app);
    const res = await request(t.app)
      .post('/v1/practice/session')
      .set(user.auth)
      .set('Idempotency-Key', 'gzip-1')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(Buffer.from('this is not gzip at all'));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MALFORMED_REQUEST');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await t.deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
    const logged = t.lines.filter((l) => l.msg === 'malformed request');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((l) => l.level === WARN && l.err === undefined)).toBe(true);
    expect(t.lines.some((l) => l.level >= ERROR)).toBe(false);
  });

  it('answers a malformed %-escape in the path 400 MALFORMED_REQUEST', async () => {
    const user = await createUser(t.app);
    const res = await request(t.app).get('/v1/practice/sessions/%E0%A4%A').set(user.auth);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MALFORMED_REQUEST');
    expect(t.lines.some((l) => l.level >= ERROR)).toBe(false);
  });

  it('logs a client that aborts mid-body at warn, not error', async () => {
    const server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      const socket = connect(address.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(
        'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 1000\r\n\r\n{"email":',
      );
      await new Promise((r) => setTimeout(r, 100));
      socket.destroy();
      await expect
        .poll(() => t.lines.some((l) => l.msg === 'malformed request'), { timeout: 5000 })
        .toBe(true);
      expect(t.lines.some((l) => l.level >= ERROR)).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe('Postgres unreachable', () => {
  // Nothing listens on port 1: every query fails to connect at once.
  const t = appWithLogs({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing' });
  afterAll(() => t.close());

  it('answers login and authenticated routes 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    const login = await request(t.app)
      .post('/v1/auth/login')
      .send({ email: 'someone@example.com', password: 'a-long-password' });
    expect(login.status).toBe(503);
    expect(login.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(Number(login.headers['retry-after'])).toBeGreaterThan(0);
    const token = signAccessToken(t.config, { sub: 'user-1', sv: 0, role: 'USER' });
    const wallet = await request(t.app)
      .get('/v1/wallet/me')
      .set('Authorization', `Bearer ${token}`);
    expect(wallet.status).toBe(503);
    expect(wallet.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(wallet.body)).not.toContain('127.0.0.1');
    expect(t.lines.some((l) => l.level >= ERROR)).toBe(false);
  });
});
