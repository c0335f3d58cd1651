import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { StoredInputSchema } from '../../shared/sessions/input.js';
import { submitMany, submitSession, type Submission } from '../../shared/sessions/submit.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { holdRowLocks } from '../helpers/row-locks.js';
import { goodChat, submitText } from '../helpers/practice.js';

/**
 * Submits that arrive together share one statement (SUBMIT_BATCH): each still gets exactly the
 * outcome it would get alone. No worker runs: sessions stay QUEUED.
 */
const t = createTestApp();
const { app, deps } = t;
const { prisma } = deps;
afterAll(() => t.close());

const statement = deps.submitStatement;

function submission(userId: string, over: Partial<Submission> = {}): Submission {
  return {
    userId,
    key: randomUUID(),
    route: 'POST /v1/practice/session',
    fingerprint: 'fp',
    input: StoredInputSchema.parse({ mode: 'text', messages: goodChat(7) }),
    topic: 'weekend',
    personaId: null,
    templateId: null,
    ttlHours: 24,
    maxInFlight: 10,
    ...over,
  };
}

/** The stored columns a submit decides (not ids or the clock). */
async function stored(sessionId: string) {
  const s = await prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId } });
  return {
    status: s.status,
    mode: s.mode,
    input: s.input,
    topic: s.topic,
    personaId: s.personaId,
    templateId: s.templateId,
  };
}

async function batchCounters() {
  const res = await request(app).get('/metrics');
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(res.text)?.[1]);
  return {
    statements: read('submit_statements_total'),
    submits: read('submit_statement_submits_total'),
  };
}

describe('batched submits', () => {
  it('give each submission of one statement its own outcome, as alone', async () => {
    if (!statement) throw new Error('SUBMIT_BATCH is 1 in the test config');
    const [a, b, busy] = [await createUser(app), await createUser(app), await createUser(app)];
    const live = submission(a.id);
    const first = await submitSession(prisma, live);
    if (first.kind !== 'created') throw new Error(first.kind);
    for (let i = 0; i < 2; i++) await submitSession(prisma, submission(busy.id));

    const cases = [
      submission(b.id),
      live,
      submission(b.id, { personaId: 'no-such-persona' }),
      submission(busy.id, { maxInFlight: 2 }),
      submission(a.id, { templateId: 'no-such-template' }),
    ];
    // The statement itself: one row per submission, in order.
    const args = cases.map((c) => ({ ...c, sessionId: randomUUID(), keyId: randomUUID() }));
    const rows = await submitMany(prisma, args);
    expect(rows.map((r) => [r.personaOk, r.templateOk, r.inFlight, r.createdId])).toEqual([
      [true, true, 0, args[0]?.sessionId],
      [true, true, 1, null],
      // b's first submission in the batch counts, as if they had arrived one by one.
      [false, true, 1, null],
      [true, true, 2, null],
      // a's replay earlier in the batch counts too (the cap errs on refusing).
      [true, false, 2, null],
    ]);
    const batched = args[0]?.sessionId ?? '';
    // It stores what a submit alone stores.
    expect(await stored(batched)).toEqual(await stored(first.session.id));

    // Through submitSession, in one tick (one statement): the outcomes a caller sees.
    const outcomes = await Promise.all(
      [submission(b.id), ...cases.slice(1)].map((c) => submitSession(prisma, c, { statement })),
    );
    expect(outcomes.map((o) => o.kind)).toEqual([
      'created',
      'existing',
      'refused',
      'busy',
      'refused',
    ]);
    const [, existing, persona, full, template] = outcomes;
    expect(existing).toMatchObject({ key: { sessionId: first.session.id } });
    expect(persona).toEqual({ kind: 'refused', code: 'PERSONA_NOT_FOUND' });
    expect(full).toEqual({ kind: 'busy', inFlight: 2 });
    expect(template).toEqual({ kind: 'refused', code: 'TEMPLATE_NOT_FOUND' });
    expect(await prisma.practiceSession.count({ where: { userId: b.id } })).toBe(2);
    expect(await prisma.practiceSession.count({ where: { userId: busy.id } })).toBe(2);
  });

  it('send a batch holding one key twice again one by one: one session, the other a replay', async () => {
    if (!statement) throw new Error('SUBMIT_BATCH is 1 in the test config');
    const user = await createUser(app);
    const twice = submission(user.id);
    const outcomes = await Promise.all([
      submitSession(prisma, twice, { statement }),
      submitSession(prisma, twice, { statement }),
      submitSession(prisma, submission(user.id), { statement }),
    ]);
    const kinds = outcomes.map((o) => o.kind).sort();
    expect(kinds).toEqual(['created', 'created', 'existing']);
    const sessionOf = (o: (typeof outcomes)[number]) =>
      o.kind === 'created' ? o.session.id : o.kind === 'existing' ? o.key.sessionId : null;
    expect(sessionOf(outcomes[0])).toBe(sessionOf(outcomes[1]));
    expect(await prisma.practiceSession.count({ where: { userId: user.id } })).toBe(2);
    expect(await prisma.idempotencyKey.count({ where: { userId: user.id } })).toBe(2);
  });

  it('answer concurrent HTTP submits each with its own 202 (and a replay for a re-sent key)', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => createUser(app)));
    const key = randomUUID();
    const before = await batchCounters();
    const [owner] = users;
    if (!owner) throw new Error('no user');
    const answers = await Promise.all([
      ...users.map((u, i) => submitText(app, u, { messages: goodChat(40 + i) })),
      submitText(app, owner, { messages: goodChat(50) }, key),
      submitText(app, owner, { messages: goodChat(50) }, key),
    ]);
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 8 }, () => 202));
    const [again, resent] = answers.slice(-2);
    expect(again?.body.sessionId).toBe(resent?.body.sessionId);
    expect(
      answers.filter((r) => r.headers['idempotent-replayed'] === 'true').map((r) => r.body),
    ).toHaveLength(1);
    const ids = new Set(answers.map((r) => r.body.sessionId as string));
    expect(ids.size).toBe(7);
    expect(
      await prisma.practiceSession.count({ where: { userId: { in: users.map((u) => u.id) } } }),
    ).toBe(7);
    // /metrics: every submit went through a batched statement (some more than once, after a
    // failed batch), never more statements than submits.
    const after = await batchCounters();
    expect(after.submits - before.submits).toBeGreaterThanOrEqual(8);
    expect(after.statements - before.statements).toBeGreaterThanOrEqual(1);
    expect(after.statements - before.statements).toBeLessThanOrEqual(
      after.submits - before.submits,
    );
  });

  it('send a batch held up by a locked user row again one by one: the others answer at once', async () => {
    if (!statement) throw new Error('SUBMIT_BATCH is 1 in the test config');
    const [free, held] = [await createUser(app), await createUser(app)];
    const settled: string[] = [];
    const { released: release } = await holdRowLocks(
      deps.config.DATABASE_URL,
      [['SELECT 1 FROM "User" WHERE "id" = $1 FOR UPDATE', [held.id]]],
      700,
      settled,
    );
    const [forFree, forHeld] = await Promise.all([
      submitSession(prisma, submission(free.id), { statement }).finally(() => settled.push('free')),
      submitSession(prisma, submission(held.id), { statement }).finally(() => settled.push('held')),
      release,
    ]);
    expect([forFree.kind, forHeld.kind]).toEqual(['created', 'created']);
    expect(settled).toEqual(['free', 'released', 'held']);
  });

  it("count a user's earlier submissions in the same statement against the in-flight cap", async () => {
    const user = await createUser(app);
    const args = Array.from({ length: 5 }, () => ({
      ...submission(user.id, { maxInFlight: 3 }),
      sessionId: randomUUID(),
      keyId: randomUUID(),
    }));
    const rows = await submitMany(prisma, args);
    expect(rows.map((r) => [r.inFlight, r.createdId !== null])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, false],
      [4, false],
    ]);
    expect(await prisma.practiceSession.count({ where: { userId: user.id } })).toBe(3);
  });

  it('never let submits waiting on locks hold up the submits behind them', async () => {
    if (!statement) throw new Error('SUBMIT_BATCH is 1 in the test config');
    const [free, h1, h2] = [await createUser(app), await createUser(app), await createUser(app)];
    const settled: string[] = [];
    const { released: release } = await holdRowLocks(
      deps.config.DATABASE_URL,
      [['SELECT 1 FROM "User" WHERE "id" = ANY($1) FOR UPDATE', [[h1.id, h2.id]]]],
      1000,
      settled,
    );
    const track = <T>(name: string, p: Promise<T>) => p.finally(() => settled.push(name));
    // Two batches of one (a tick apart), each waiting on a held user row: both slots taken.
    const first = track('h1', submitSession(prisma, submission(h1.id), { statement }));
    await new Promise((resolve) => setImmediate(resolve));
    const blocked = [first, track('h2', submitSession(prisma, submission(h2.id), { statement }))];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const later = track('free', submitSession(prisma, submission(free.id), { statement }));
    const outcomes = await Promise.all([...blocked, later, release]);
    expect(outcomes.slice(0, 3).map((o) => o?.kind)).toEqual(['created', 'created', 'created']);
    expect(settled.indexOf('free')).toBeLessThan(settled.indexOf('released'));
  });
});
