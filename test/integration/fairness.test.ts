import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { scoreSession } from '../../worker/processors/score-session.js';
import { createTestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { submitText, waitForTerminal } from '../helpers/practice.js';
import { processorDeps, startScoringWorker } from '../helpers/worker.js';

/** Issue 9: one user cannot take the service from the others. */

const sessionIdOf = (res: { body: { sessionId?: unknown } }) => String(res.body.sessionId);

describe('sessions in flight per user', () => {
  const t = createTestApp({ SUBMIT_MAX_IN_FLIGHT_PER_USER: '3' });
  afterAll(() => t.close());

  it('answers 429 RATE_LIMITED with Retry-After past the cap, storing nothing; replays and other users pass', async () => {
    const [user, other] = [await createUser(t.app), await createUser(t.app)];
    const keys = ['k-1', 'k-2', 'k-3'];
    // No worker runs: the three stay QUEUED.
    for (const key of keys)
      expect((await submitText(t.app, user, undefined, key)).status).toBe(202);
    const res = await submitText(t.app, user);
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await t.deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(3);
    expect(await t.deps.prisma.idempotencyKey.count({ where: { userId: user.id } })).toBe(3);
    // A re-send of an accepted request is a replay, not a new session.
    const replay = await submitText(t.app, user, undefined, 'k-2');
    expect(replay.status).toBe(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await submitText(t.app, other)).status).toBe(202);
    // Once one has finished there is room again.
    const worker = startScoringWorker(t.deps.config);
    try {
      const first = await t.deps.prisma.practiceSession.findFirstOrThrow({
        where: { userId: user.id },
      });
      await waitForTerminal(t.app, user, first.id);
      await expect.poll(async () => (await submitText(t.app, user)).status).toBe(202);
    } finally {
      await worker.close();
    }
  });
});

/**
 * User A's backlog of 12 waits; then user B submits one. A worker at concurrency 1 scores them one
 * at a time: the position of B's session in completion order is what B waited for.
 */
async function positionBehindBacklog(order: 'fair' | 'fifo'): Promise<number> {
  const t = createTestApp({ SCORING_ORDER: order, WORKER_CONCURRENCY: '1' });
  try {
    const [a, b] = [await createUser(t.app), await createUser(t.app)];
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(sessionIdOf(await submitText(t.app, a)));
    const bId = sessionIdOf(await submitText(t.app, b));
    const worker = startScoringWorker(t.deps.config);
    try {
      await waitForTerminal(t.app, b, bId);
      for (const id of ids) await waitForTerminal(t.app, a, id);
    } finally {
      await worker.close();
    }
    const done = await t.deps.prisma.practiceSession.findMany({
      where: { userId: { in: [a.id, b.id] } },
      orderBy: { completedAt: 'asc' },
      select: { id: true, status: true },
    });
    expect(done.every((s) => s.status === 'COMPLETED')).toBe(true);
    return done.findIndex((s) => s.id === bId) + 1;
  } finally {
    await t.close();
  }
}

describe('scoring order', () => {
  it('fair: another user is scored right after the backlog’s first session; fifo: after all of it', async () => {
    const fair = await positionBehindBacklog('fair');
    const fifo = await positionBehindBacklog('fifo');
    // Equal priorities keep arrival order: A's first session, then B's.
    expect(fair).toBe(2);
    expect(fifo).toBe(13);
  });
});

describe('session list', () => {
  const t = createTestApp();
  afterAll(() => t.close());

  it('items are the session view without per-message AI output, and never the submitted input', async () => {
    const user = await createUser(t.app);
    const worker = startScoringWorker(t.deps.config);
    try {
      const id = sessionIdOf(await submitText(t.app, user));
      const detail = (await waitForTerminal(t.app, user, id)).body as Record<string, unknown>;
      const list = await request(t.app).get('/v1/practice/sessions?limit=1').set(user.auth);
      expect(list.status).toBe(200);
      const [item] = list.body.items as Record<string, unknown>[];
      // The detail view minus `ok`, `conversation`, `result.ai` and `result.aiCore.messages`.
      const view = structuredClone(detail);
      delete view.ok;
      expect(view.conversation).toBeDefined();
      delete view.conversation;
      const result = view.result as { ai?: unknown; aiCore: { messages?: unknown } };
      expect(result.ai).toBeDefined();
      delete result.ai;
      delete result.aiCore.messages;
      expect(item).toEqual(view);
      expect(JSON.stringify(list.body)).not.toContain('"input"');
    } finally {
      await worker.close();
    }
  });
});

describe('list reads per user', () => {
  const t = createTestApp({ RATE_LIMIT_READS_PER_USER: '3' });
  afterAll(() => t.close());

  it('answers 429 RATE_LIMITED with Retry-After past the limit; other users unaffected', async () => {
    const [user, other] = [await createUser(t.app), await createUser(t.app)];
    const list = (u: TestUser, path: string) => request(t.app).get(path).set(u.auth);
    expect((await list(user, '/v1/practice/sessions')).status).toBe(200);
    expect((await list(user, '/v1/wallet/transactions')).status).toBe(200);
    expect((await list(user, '/v1/practice/sessions')).status).toBe(200);
    const res = await list(user, '/v1/wallet/transactions');
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await list(other, '/v1/practice/sessions')).status).toBe(200);
  });
});

/** A promise and the function that resolves it (Node 20 has no Promise.withResolvers). */
function resolvable() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('apply lock timeout', () => {
  const t = createTestApp({ APPLY_LOCK_TIMEOUT_MS: '200' });
  afterAll(() => t.close());

  it('gives up on a wallet lock held too long (the job retries), and applies once it is free', async () => {
    const user = await createUser(t.app);
    const id = sessionIdOf(await submitText(t.app, user));
    const { deps, close } = processorDeps(t.deps.config);
    try {
      // Another transaction holds the user's wallet row, as a stuck apply would.
      const held = resolvable();
      const isLocked = resolvable();
      const holder = t.deps.prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1 FROM "UserWallet" WHERE "userId" = ${user.id} FOR UPDATE`;
          isLocked.resolve();
          await held.promise;
        },
        { timeout: 20_000 },
      );
      await isLocked.promise;
      await expect(scoreSession({ sessionId: id }, deps)).rejects.toThrow(/lock timeout/);
      const waiting = await t.deps.prisma.practiceSession.findUniqueOrThrow({ where: { id } });
      expect(waiting.status).not.toBe('COMPLETED');
      held.resolve();
      await holder;
      expect(await scoreSession({ sessionId: id }, deps)).toBe('applied');
    } finally {
      await close();
    }
  });
});
