import { holdRowLocks } from '../helpers/row-locks.js';
import { afterAll, describe, expect, it } from 'vitest';
import { heuristicProvider } from '../../shared/ai/index.js';
import { StoredInputSchema } from '../../shared/sessions/input.js';
import { scoreSubmission } from '../../shared/sessions/score.js';
import { batchedSessionWrites } from '../../shared/sessions/write-batches.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { expectConsistentRewards, goodChat, submitDirect } from '../helpers/practice.js';

/**
 * The worker's claims and applies, batched across its concurrent jobs (WORKER_WRITE_BATCH): jobs
 * that reach a step together share one statement, and each still gets its own outcome.
 */
const t = createTestApp();
const { prisma } = t.deps;
afterAll(() => t.close());

function recorded(maxBatch: number, lockTimeoutMs = 5000) {
  const batches: [string, number][] = [];
  const failed: [string, number][] = [];
  const writes = batchedSessionWrites(prisma, {
    maxBatch,
    lockTimeoutMs,
    onBatch: (kind, size) => batches.push([kind, size]),
    onBatchFailed: (kind, size) => failed.push([kind, size]),
  });
  return { writes, batches, failed };
}

/** A claimed session, scored: what a job hands the apply. */
async function claimedAndScored(writes: ReturnType<typeof recorded>['writes'], sessionId: string) {
  const claimed = await writes.claim(sessionId);
  if (!claimed) throw new Error(`${sessionId} not claimable`);
  const input = StoredInputSchema.parse(claimed.input);
  const scored = await scoreSubmission(heuristicProvider, input, null);
  return { sessionId, userId: claimed.userId, input, scored, completedAt: new Date() };
}

async function ledgerRows(sessionId: string) {
  return prisma.walletLedgerEntry.count({ where: { sessionId, kind: 'SESSION_REWARD' } });
}

describe('batched session writes', () => {
  it('claim and apply the sessions that arrive together in one statement, each with its own outcome', async () => {
    const [a, b] = [await createUser(t.app), await createUser(t.app)];
    const [a1, a2, a3, b1, b2] = [
      await submitDirect(prisma, a.id, { messages: goodChat(1) }),
      await submitDirect(prisma, a.id, { messages: goodChat(2) }),
      await submitDirect(prisma, a.id, { messages: goodChat(3) }),
      await submitDirect(prisma, b.id, { messages: goodChat(4) }),
      await submitDirect(prisma, b.id, { messages: goodChat(5) }),
    ];
    const { writes, batches } = recorded(8);

    const claims = await Promise.all([a1, b1, 'no-such-session', a1, a2].map(writes.claim));
    expect(batches).toEqual([['claim', 5]]);
    expect(claims.map((c) => c?.userId ?? null)).toEqual([a.id, b.id, null, a.id, a.id]);

    const [forA1, forB1, forA2] = await Promise.all(
      [a1, b1, a2].map((id) => claimedAndScored(writes, id)),
    );
    if (!forA1 || !forB1 || !forA2) throw new Error('not scored');
    expect(await Promise.all([forA1, forB1, forA2].map(writes.apply))).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    // A duplicated job of b1 (already COMPLETED), a fresh one and one for a session nobody
    // claimed (still QUEUED), in an order the batch sorts by user: three different outcomes, so
    // each must go back to its own job whatever the order.
    const forA3 = await claimedAndScored(writes, a3);
    const input = StoredInputSchema.parse({ mode: 'text', messages: goodChat(5) });
    const unclaimed = {
      sessionId: b2,
      userId: b.id,
      input,
      scored: await scoreSubmission(heuristicProvider, input, null),
      completedAt: new Date(),
    };
    batches.length = 0;
    expect(await Promise.all([forB1, forA3, unclaimed].map(writes.apply))).toEqual([
      'already-completed',
      'applied',
      'not-processing',
    ]);
    expect(batches).toEqual([['apply', 3]]);
    for (const id of [a1, a2, a3, b1]) expect(await ledgerRows(id)).toBe(1);
    expect(await ledgerRows(b2)).toBe(0);
    await expectConsistentRewards(prisma, a.id);
    await expectConsistentRewards(prisma, b.id);
  });

  it('put at most WORKER_WRITE_BATCH sessions in one statement', async () => {
    const user = await createUser(t.app);
    const ids = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => submitDirect(prisma, user.id, { messages: goodChat(10 + n) })),
    );
    const { writes, batches } = recorded(2);
    expect((await Promise.all(ids.map(writes.claim))).every((c) => c !== null)).toBe(true);
    expect(batches.map(([, size]) => size)).toEqual([2, 2, 1]);
  });

  it('send a batch held up by a row lock again one by one: the others go at once, the locked one waits alone', async () => {
    const [a, b] = [await createUser(t.app), await createUser(t.app)];
    const [a1, b1, a2, b2] = [
      await submitDirect(prisma, a.id, { messages: goodChat(21) }),
      await submitDirect(prisma, b.id, { messages: goodChat(22) }),
      await submitDirect(prisma, a.id, { messages: goodChat(23) }),
      await submitDirect(prisma, b.id, { messages: goodChat(24) }),
    ];
    const { writes, failed } = recorded(8, 5000);
    const ready = await Promise.all([claimedAndScored(writes, a1), claimedAndScored(writes, b1)]);

    // Another transaction holds b's user row (the apply) and b2's session row (the claim) for
    // 700 ms: far past the batch's lock wait, well within a session's own.
    const settled: string[] = [];
    const track = <T>(name: string, p: Promise<T>) => p.finally(() => settled.push(name));
    const { released: release } = await holdRowLocks(
      t.deps.config.DATABASE_URL,
      [
        ['SELECT 1 FROM "User" WHERE "id" = $1 FOR UPDATE', [b.id]],
        ['SELECT 1 FROM "PracticeSession" WHERE "id" = $1 FOR UPDATE', [b2]],
      ],
      700,
      settled,
    );
    const [applyA, applyB, claimA, claimB] = await Promise.all([
      track('apply a1', writes.apply(ready[0])),
      track('apply b1', writes.apply(ready[1])),
      track('claim a2', writes.claim(a2)),
      track('claim b2', writes.claim(b2)),
      release,
    ]);
    expect([applyA, applyB]).toEqual(['applied', 'applied']);
    expect([claimA?.userId, claimB?.userId]).toEqual([a.id, b.id]);
    expect(failed).toEqual(
      expect.arrayContaining([
        ['apply', 2],
        ['claim', 2],
      ]),
    );
    // a's work did not wait for b's locks.
    const at = (name: string) => settled.indexOf(name);
    expect(at('apply a1')).toBeLessThan(at('released'));
    expect(at('claim a2')).toBeLessThan(at('released'));
    expect(at('apply b1')).toBeGreaterThan(at('released'));
    expect(at('claim b2')).toBeGreaterThan(at('released'));
    for (const id of [a1, b1]) expect(await ledgerRows(id)).toBe(1);
    await expectConsistentRewards(prisma, b.id);
  });

  it("apply a user's sessions in the order they completed, as one by one would", async () => {
    const user = await createUser(t.app);
    // A five-day streak, last active the day before D; one session completes at D 23:59:59,
    // the next at D+1 00:00:01 (UTC).
    await prisma.user.update({
      where: { id: user.id },
      data: {
        timezone: 'UTC',
        streakCurrent: 5,
        streakBest: 5,
        streakLastActiveAt: new Date('2026-03-09T12:00:00Z'),
      },
    });
    const ids = [
      await submitDirect(prisma, user.id, { messages: goodChat(31) }),
      await submitDirect(prisma, user.id, { messages: goodChat(32) }),
    ].sort();
    const { writes, batches } = recorded(8);
    const [first, second] = await Promise.all(ids.map((id) => claimedAndScored(writes, id)));
    if (!first || !second) throw new Error('not scored');
    // The later session has the smaller id.
    first.completedAt = new Date('2026-03-11T00:00:01Z');
    second.completedAt = new Date('2026-03-10T23:59:59Z');
    batches.length = 0;
    expect(await Promise.all([first, second].map(writes.apply))).toEqual(['applied', 'applied']);
    expect(batches).toEqual([['apply', 2]]);
    const after = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.streakCurrent).toBe(7);
  });

  it('keep working when a metrics or logging callback throws', async () => {
    const user = await createUser(t.app);
    const writes = batchedSessionWrites(prisma, {
      maxBatch: 8,
      lockTimeoutMs: 5000,
      onBatch: () => {
        throw new Error('metrics down');
      },
    });
    for (const n of [41, 42, 43, 44]) {
      const id = await submitDirect(prisma, user.id, { messages: goodChat(n) });
      expect((await Promise.all([writes.claim(id), writes.claim(id)]))[0]?.userId).toBe(user.id);
    }
  });
});
