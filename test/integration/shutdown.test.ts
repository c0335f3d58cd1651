import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig } from '../helpers/config.js';

/** Issue 10: a deploy (SIGTERM) must not cut off clients waiting on long-polls. */

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('API shutdown', () => {
  const config = testConfig();
  let child: ReturnType<typeof spawn> | null = null;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('answers 50 waiting long-polls at once with the current view on SIGTERM, then exits 0', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: config.DATABASE_URL,
        REDIS_URL: config.REDIS_URL,
        QUEUE_PREFIX: config.QUEUE_PREFIX,
        JWT_SECRET: config.JWT_SECRET,
        BCRYPT_ROUNDS: '4',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exited = once(child, 'exit');
    const base = `http://127.0.0.1:${String(port)}`;
    await expect
      .poll(
        () =>
          fetch(`${base}/v1/health`).then(
            (r) => r.status,
            () => 0,
          ),
        {
          // Starting the entry point under tsx takes a while on a loaded 2-core box.
          timeout: 60_000,
          interval: 100,
        },
      )
      .toBe(200);
    const signup = await request(base)
      .post('/v1/auth/signup')
      .send({ email: `drain-${String(port)}@example.com`, password: 'a-long-password' });
    expect(signup.status).toBe(201);
    const auth = { Authorization: `Bearer ${String(signup.body.accessToken)}` };
    // No worker runs: the session stays QUEUED and every long-poll waits its full 30 s.
    const submit = await request(base)
      .post('/v1/practice/session')
      .set(auth)
      .set('Idempotency-Key', 'drain-1')
      .send({ messages: [{ role: 'USER', content: 'Shall we try the new ramen place?' }] });
    expect(submit.status).toBe(202);
    const path = `/v1/practice/sessions/${String(submit.body.sessionId)}?waitMs=30000`;
    const started = Date.now();
    const polls = Array.from({ length: 50 }, () => request(base).get(path).set(auth));
    const pending = polls.map((p) => p.then((r) => r));
    await expect
      .poll(
        async () => {
          const text = await fetch(`${base}/metrics`).then((r) => r.text());
          return Number(/^long_polls_waiting (\d+)/m.exec(text)?.[1] ?? 0);
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe(50);
    child.kill('SIGTERM');
    const answers = await Promise.all(pending);
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 200));
    expect(answers.every((r) => r.body.status === 'QUEUED')).toBe(true);
    // Answered on SIGTERM, not after the 30 s wait ran out.
    expect(Date.now() - started).toBeLessThan(29_000);
    const [code] = await exited;
    expect(code).toBe(0);
  }, 120_000);
});
