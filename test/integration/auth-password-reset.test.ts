import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser, uniqueEmail, type TestUser } from '../helpers/factories.js';
import {
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
