import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createAppDeps } from '../../api/deps.js';
import { createTestApp } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { createUser, uniqueEmail, type TestUser } from '../helpers/factories.js';
import { freePort } from '../helpers/ports.js';
import {
  capturingLogger,
  decodeQuotedPrintable,
  resetTokenIn,
  startSmtpServer,
  type ReceivedMail,
} from '../helpers/smtp.js';

const smtp = await startSmtpServer();
const RESET_URL = 'https://app.socialgym.test/reset?from=mail';
const mailEnv = {
  SMTP_URL: smtp.url,
  MAIL_FROM: 'SocialGym <no-reply@socialgym.test>',
  APP_RESET_URL: RESET_URL,
};
const t = createTestApp(mailEnv);
const { app, deps } = t;
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const requestReset = (email: string, from?: string) => {
  const req = request(app).post('/v1/auth/password-reset/request');
  if (from) void req.set('X-Forwarded-For', from);
  return req.send({ email });
};
const confirm = (token: string, newPassword: string) =>
  request(app).post('/v1/auth/password-reset/confirm').send({ token, newPassword });
const login = (email: string, password: string) =>
  request(app).post('/v1/auth/login').send({ email, password });

/** Asks for a reset of `user`, waits until the email went out, and returns its token. */
async function mailedToken(user: TestUser): Promise<string> {
  const before = smtp.to(user.email).length;
  expect((await requestReset(user.email)).status).toBe(202);
  await deps.background.idle();
  const mails = smtp.to(user.email);
  expect(mails).toHaveLength(before + 1);
  return resetTokenIn(mails.at(-1) as ReceivedMail);
}

describe('POST /v1/auth/password-reset/request', () => {
  it('rejects invalid input with 400, sending nothing', async () => {
    const sent = smtp.received.length;
    for (const body of [{}, { email: 'not-an-email' }, { email: 42 }, { email: 'a@b.dev', x: 1 }]) {
      const res = await request(app).post('/v1/auth/password-reset/request').send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    await deps.background.idle();
    expect(smtp.received).toHaveLength(sent);
  });

  it('answers 202 and emails a single-use link, storing only the token digest', async () => {
    const user = await createUser(app);
    const res = await requestReset(`  ${user.email.toUpperCase()} `);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ ok: true });
    expect(res.headers['cache-control']).toBe('no-store');
    await deps.background.idle();

    const [mail] = smtp.to(user.email);
    expect(mail).toBeDefined();
    const raw = decodeQuotedPrintable(mail?.raw ?? '');
    expect(raw).toMatch(/^From: SocialGym <no-reply@socialgym\.test>\r?$/m);
    expect(raw).toMatch(new RegExp(`^To: ${user.email.replace(/\./g, '\\.')}\\r?$`, 'm'));
    expect(raw).toMatch(/^Subject: Reset your SocialGym password\r?$/m);
    const token = resetTokenIn(mail as ReceivedMail);
    expect(token).toMatch(/^[\w-]{43}$/);
    // Plain text carries the link as is; the HTML part escapes it.
    expect(raw).toContain(`${RESET_URL}&token=${token}`);
    expect(raw).toContain(`href="https://app.socialgym.test/reset?from=mail&amp;token=${token}"`);
    expect(raw).toMatch(/Content-Type: text\/plain/);
    expect(raw).toMatch(/Content-Type: text\/html/);

    const rows = await deps.prisma.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(row?.usedAt).toBeNull();
    expect((row?.expiresAt.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0)).toBe(30 * 60_000);
  });

  it('answers the same 202 for an unknown email and sends nothing', async () => {
    const email = uniqueEmail('nobody');
    const res = await requestReset(email);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ ok: true });
    await deps.background.idle();
    expect(smtp.to(email)).toHaveLength(0);
  });
});

describe('POST /v1/auth/password-reset/confirm', () => {
  it('rejects invalid input with 400, changing nothing', async () => {
    const user = await createUser(app);
    const token = await mailedToken(user);
    const bodies = [
      {},
      { token },
      { token, newPassword: 'short' },
      { token, newPassword: 'x'.repeat(129) },
      { token: '', newPassword: 'long-enough-1' },
      { token, newPassword: 'long-enough-1', userId: user.id },
    ];
    for (const body of bodies) {
      const res = await request(app).post('/v1/auth/password-reset/confirm').send(body);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    // The token is still good, and the password unchanged.
    expect((await login(user.email, user.password)).status).toBe(200);
    expect((await confirm(token, 'a-brand-new-one')).status).toBe(200);
  });

  it('answers 400 RESET_TOKEN_INVALID for an unknown token', async () => {
    const res = await confirm('a'.repeat(43), 'long-enough-1');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ ok: false, code: 'RESET_TOKEN_INVALID' });
  });

  it('sets the new password and ends every token of that user only', async () => {
    const user = await createUser(app);
    const other = await createUser(app);
    // A second device of the user.
    const device = (await login(user.email, user.password)).body as {
      accessToken: string;
      refreshToken: string;
    };
    // The cache of this process knows the user's sessionVersion.
    expect((await request(app).get('/v1/profile').set(user.auth)).status).toBe(200);
    const token = await mailedToken(user);

    const res = await confirm(token, 'my-new-password');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(res.headers['cache-control']).toBe('no-store');
    const [used] = await deps.prisma.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(used?.usedAt).toBeInstanceOf(Date);

    expect((await login(user.email, 'my-new-password')).status).toBe(200);
    const old = await login(user.email, user.password);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('AUTH_INVALID');
    for (const access of [user.accessToken, device.accessToken]) {
      const profile = await request(app)
        .get('/v1/profile')
        .set({ Authorization: `Bearer ${access}` });
      expect(profile.status).toBe(401);
    }
    for (const refreshToken of [user.refreshToken, device.refreshToken]) {
      const refreshed = await request(app).post('/v1/auth/refresh').send({ refreshToken });
      expect(refreshed.status).toBe(401);
    }
    // The other user is untouched.
    expect((await request(app).get('/v1/profile').set(other.auth)).status).toBe(200);
    expect((await login(other.email, other.password)).status).toBe(200);
  });

  it('is single use: a second confirmation answers 400 RESET_TOKEN_INVALID', async () => {
    const user = await createUser(app);
    const token = await mailedToken(user);
    expect((await confirm(token, 'first-new-password')).status).toBe(200);
    const again = await confirm(token, 'second-new-password');
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('RESET_TOKEN_INVALID');
    expect((await login(user.email, 'first-new-password')).status).toBe(200);
    expect((await login(user.email, 'second-new-password')).status).toBe(401);
  });

  it('voids the other reset links of the user once one is used', async () => {
    const user = await createUser(app);
    const first = await mailedToken(user);
    const second = await mailedToken(user);
    expect(first).not.toBe(second);
    expect((await confirm(second, 'via-the-second-link')).status).toBe(200);
    const res = await confirm(first, 'via-the-first-link');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RESET_TOKEN_INVALID');
    expect((await login(user.email, 'via-the-second-link')).status).toBe(200);
  });

  it('answers 400 RESET_TOKEN_INVALID for an expired token, changing nothing', async () => {
    const user = await createUser(app);
    const token = await mailedToken(user);
    await deps.prisma.$executeRaw`
      UPDATE "PasswordResetToken" SET "expiresAt" = "createdAt" - interval '1 second'
      WHERE "userId" = ${user.id}`;
    const res = await confirm(token, 'too-late-password');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RESET_TOKEN_INVALID');
    expect((await login(user.email, user.password)).status).toBe(200);
    expect((await request(app).get('/v1/profile').set(user.auth)).status).toBe(200);
  });

  it('lets exactly one of two racing confirmations win', async () => {
    const user = await createUser(app);
    const token = await mailedToken(user);
    const [a, b] = await Promise.all([
      confirm(token, 'racer-a-password'),
      confirm(token, 'racer-b-password'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const loser = a.status === 400 ? a : b;
    expect(loser.body.code).toBe('RESET_TOKEN_INVALID');
    const winner = a.status === 200 ? 'racer-a-password' : 'racer-b-password';
    const other = winner === 'racer-a-password' ? 'racer-b-password' : 'racer-a-password';
    expect((await login(user.email, winner)).status).toBe(200);
    expect((await login(user.email, other)).status).toBe(401);
  });
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
