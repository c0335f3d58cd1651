import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createAppDeps } from '../../api/deps.js';
import { createTestApp } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { createUser, uniqueEmail } from '../helpers/factories.js';
import { freePort } from '../helpers/ports.js';
import { capturingLogger, startSmtpServer } from '../helpers/smtp.js';

/** Password-reset requests: their rate limits, and mail sent after the answer (or not at all). */
const smtp = await startSmtpServer();
const mailEnv = {
  SMTP_URL: smtp.url,
  MAIL_FROM: 'SocialGym <no-reply@socialgym.test>',
  APP_RESET_URL: 'https://app.socialgym.test/reset?from=mail',
};
afterAll(async () => {
  await smtp.close();
});

describe('password-reset rate limits (client address from X-Forwarded-For)', () => {
  const limited = createTestApp({
    ...mailEnv,
    TRUST_PROXY: '1',
    RATE_LIMIT_RESET_PER_IP: '3',
    RATE_LIMIT_RESET_PER_ACCOUNT: '2',
  });
  afterAll(() => limited.close());
  beforeAll(async () => {
    // Limits fail open while Redis is unreachable; wait for the connection so they count.
    if (limited.deps.redis.status !== 'ready') await once(limited.deps.redis, 'ready');
  });
  const ask = (email: string, from: string) =>
    request(limited.app)
      .post('/v1/auth/password-reset/request')
      .set('X-Forwarded-For', from)
      .send({ email });

  it('answer 429 with Retry-After past the per-account limit, sending no more mail', async () => {
    const user = await createUser(limited.app);
    expect((await ask(user.email, '203.0.113.40')).status).toBe(202);
    expect((await ask(user.email, '203.0.113.41')).status).toBe(202);
    const refused = await ask(user.email.toUpperCase(), '203.0.113.42');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await limited.deps.background.idle();
    expect(smtp.to(user.email)).toHaveLength(2);
    // Another account from the same address is still served.
    expect((await ask(uniqueEmail('other'), '203.0.113.42')).status).toBe(202);
  });

  it('answer 429 to confirmations past the per-address limit', async () => {
    const from = '203.0.113.60';
    const attempt = (i: number) =>
      request(limited.app)
        .post('/v1/auth/password-reset/confirm')
        .set('X-Forwarded-For', from)
        .send({ token: `guess-${String(i)}`, newPassword: 'long-enough-1' });
    for (let i = 0; i < 3; i++) expect((await attempt(i)).status).toBe(400);
    const refused = await attempt(3);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
  });

  it('answer 429 past the per-address limit, whatever the accounts', async () => {
    const from = '203.0.113.50';
    for (let i = 0; i < 3; i++) expect((await ask(uniqueEmail('spray'), from)).status).toBe(202);
    const refused = await ask(uniqueEmail('spray'), from);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await ask(uniqueEmail('spray'), '203.0.113.51')).status).toBe(202);
  });
});

describe('mail delivery happens after the answer', () => {
  /** An app whose logs are kept, over a mail server the test controls. */
  function observedApp(env: Record<string, string>) {
    const { logger, lines } = capturingLogger('warn');
    const appDeps = createAppDeps(testConfig({ ...env, LOG_LEVEL: 'warn' }), logger, {
      dbPoolSize: 3,
    });
    return { app: buildApp(appDeps), deps: appDeps, lines };
  }

  it('answers 202 without SMTP configured (mail off), logging that nothing was sent', async () => {
    const off = observedApp({});
    try {
      expect(off.deps.mailer.enabled).toBe(false);
      expect(off.lines.map((l) => l.msg)).toContain(
        'mail is off (SMTP_URL unset): password-reset emails are not sent',
      );
      const user = await createUser(off.app);
      const res = await request(off.app)
        .post('/v1/auth/password-reset/request')
        .send({ email: user.email });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ ok: true });
      await off.deps.background.idle();
      expect(off.lines.filter((l) => l.level === 40).map((l) => l.msg)).toContain(
        'password reset requested while mail is off (SMTP_URL unset): nothing sent',
      );
      // No link exists that nobody could receive.
      expect(await off.deps.prisma.passwordResetToken.count({ where: { userId: user.id } })).toBe(
        0,
      );
    } finally {
      await off.deps.close();
    }
  });

  it('answers 202 while the mail server has not even greeted, and logs the failed send', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    const hung = observedApp({ ...mailEnv, SMTP_URL: `smtp://127.0.0.1:${String(port)}` });
    try {
      const user = await createUser(hung.app);
      const connected = once(silent, 'connection') as Promise<[Socket]>;
      const res = await request(hung.app)
        .post('/v1/auth/password-reset/request')
        .send({ email: user.email });
      expect(res.status).toBe(202);
      // The send started and is still waiting for the greeting: the answer did not wait for it.
      const [socket] = await connected;
      expect(socket.destroyed).toBe(false);
      socket.destroy();
      await hung.deps.background.idle();
      const failed = hung.lines.find((l) => l.msg === 'background task failed');
      expect(failed).toMatchObject({ level: 50, task: 'password-reset email' });
    } finally {
      await hung.deps.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
