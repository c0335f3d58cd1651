import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { GOOD_CHAT, submitText, waitForTerminal } from '../helpers/practice.js';
import { startScoringWorker } from '../helpers/worker.js';

// No worker runs in this file unless a test starts one: sessions stay QUEUED.
const t = createTestApp();
const { app, deps } = t;
afterAll(() => t.close());

describe('Idempotency-Key on POST /v1/practice/*', () => {
  it('replays a QUEUED session with 202, the same body and Idempotent-Replayed', async () => {
    const user = await createUser(app);
    const key = randomUUID();
    const first = await submitText(app, user, { messages: GOOD_CHAT }, key);
    expect(first.status).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await submitText(app, user, { messages: GOOD_CHAT }, key);
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.body).toEqual(first.body);
    expect(await deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it('replays a finished session with 200 and the full session view', async () => {
    const user = await createUser(app);
    const key = randomUUID();
    const worker = startScoringWorker(deps.config);
    try {
      const first = await submitText(app, user, { messages: GOOD_CHAT }, key);
      const done = await waitForTerminal(app, user, first.body.sessionId as string);
      const again = await submitText(app, user, { messages: GOOD_CHAT }, key);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(done.body);
    } finally {
      await worker.close();
    }
    const wallet = await deps.prisma.userWallet.findUniqueOrThrow({ where: { userId: user.id } });
    const ledger = await deps.prisma.walletLedgerEntry.count({
      where: { userId: user.id, kind: 'SESSION_REWARD' },
    });
    expect(ledger).toBe(1);
    expect(wallet.lifetimeXp).toBeGreaterThan(0);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for another body or route, creating nothing', async () => {
    const user = await createUser(app);
    const key = randomUUID();
    await submitText(app, user, { messages: GOOD_CHAT }, key);
    const otherBody = await submitText(app, user, { messages: GOOD_CHAT, topic: 'changed' }, key);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const otherRoute = await request(app)
      .post('/v1/practice/ab-session')
      .set(user.auth)
      .set('Idempotency-Key', key)
      .send({ optionA: 'Hi there', optionB: 'Hello you' });
    expect(otherRoute.status).toBe(422);
    expect(otherRoute.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it('checks the key before validating the body: 422 even when the other route would reject it', async () => {
    const user = await createUser(app);
    const key = randomUUID();
    await submitText(app, user, { messages: GOOD_CHAT }, key);
    const res = await request(app)
      .post('/v1/practice/ab-session')
      .set(user.auth)
      .set('Idempotency-Key', key)
      .send({ messages: GOOD_CHAT });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('replays even when the template it used was deactivated since', async () => {
    const user = await createUser(app);
    const template = await deps.prisma.practiceMissionTemplate.create({
      data: { code: `tmp-${randomUUID()}`, title: 't', description: 'd', category: 'OPENERS' },
    });
    const key = randomUUID();
    const body = { templateId: template.id, messages: GOOD_CHAT };
    const first = await submitText(app, user, body, key);
    expect(first.status).toBe(202);
    await deps.prisma.practiceMissionTemplate.update({
      where: { id: template.id },
      data: { active: false },
    });
    const again = await submitText(app, user, body, key);
    expect(again.status).toBe(202);
    expect(again.body.sessionId).toBe(first.body.sessionId);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const fresh = await submitText(app, user, body);
    expect(fresh.body.code).toBe('TEMPLATE_NOT_FOUND');
  });

  it('scopes keys per user', async () => {
    const [a, b] = await Promise.all([createUser(app), createUser(app)]);
    const key = randomUUID();
    const ra = await submitText(app, a, { messages: GOOD_CHAT }, key);
    const rb = await submitText(app, b, { messages: GOOD_CHAT }, key);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    expect(rb.headers['idempotent-replayed']).toBeUndefined();
    expect(ra.body.sessionId).not.toBe(rb.body.sessionId);
  });

  it('creates exactly one session for racing identical requests, and all answer with it', async () => {
    const user = await createUser(app);
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => submitText(app, user, { messages: GOOD_CHAT }, key)),
    );
    expect(results.every((r) => r.status === 202)).toBe(true);
    expect(new Set(results.map((r) => r.body.sessionId)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it('keeps keys at least 24 hours, and an expired key starts a new session', async () => {
    const user = await createUser(app);
    const key = randomUUID();
    const first = await submitText(app, user, { messages: GOOD_CHAT }, key);
    const stored = await deps.prisma.idempotencyKey.findUniqueOrThrow({
      where: { userId_key: { userId: user.id, key } },
    });
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeGreaterThanOrEqual(
      24 * 3600_000,
    );
    await deps.prisma.idempotencyKey.update({
      where: { id: stored.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const second = await submitText(
      app,
      user,
      { messages: GOOD_CHAT, topic: 'a different body is fine now' },
      key,
    );
    expect(second.status).toBe(202);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.sessionId).not.toBe(first.body.sessionId);
  });

  it('treats the same JSON with keys in another order as the same request', async () => {
    const user = await createUser(app);
    const key = randomUUID();
    const a = await submitText(app, user, { topic: 'x', messages: GOOD_CHAT }, key);
    const b = await submitText(app, user, { messages: GOOD_CHAT, topic: 'x' }, key);
    expect(b.status).toBe(202);
    expect(b.body.sessionId).toBe(a.body.sessionId);
  });
});

describe('Idempotency-Key given more than once', () => {
  it('answers 400 IDEMPOTENCY_KEY_REQUIRED and stores nothing', async () => {
    const user = await createUser(app);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const body = JSON.stringify({ messages: GOOD_CHAT });
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        // Raw headers: the same header twice, as a confused client or proxy may send it.
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/v1/practice/session',
            // With raw headers Node sends no Host of its own; HTTP/1.1 requires one.
            headers: [
              'Host',
              `127.0.0.1:${String(port)}`,
              'Authorization',
              user.auth.Authorization,
              'Content-Type',
              'application/json',
              'Content-Length',
              String(Buffer.byteLength(body)),
              'Idempotency-Key',
              'same-key',
              'Idempotency-Key',
              'same-key',
            ],
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, body: text });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED' });
      expect(await deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
    } finally {
      server.close();
    }
  });
});
