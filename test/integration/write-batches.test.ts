import pg from 'pg';
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

  it('send a failed batch again one session at a time: the others apply, the locked one fails alone', async () => {
    const [a, b] = [await createUser(t.app), await createUser(t.app)];
    const [a1, b1] = [
      await submitDirect(prisma, a.id, { messages: goodChat(21) }),
      await submitDirect(prisma, b.id, { messages: goodChat(22) }),
    ];
    const { writes, failed } = recorded(8, 300);
    const ready = await Promise.all([claimedAndScored(writes, a1), claimedAndScored(writes, b1)]);
    // Another transaction holds b's user row past the apply's lock timeout.
    const holder = new pg.Client({ connectionString: t.deps.config.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM "User" WHERE "id" = $1 FOR UPDATE', [b.id]);
      const [forA, forB] = await Promise.allSettled(ready.map(writes.apply));
      expect(forA).toEqual({ status: 'fulfilled', value: 'applied' });
      expect(forB.status).toBe('rejected');
      expect((forB as PromiseRejectedResult).reason).toMatchObject({ code: '55P03' });
      expect(failed).toEqual([['apply', 2]]);
      expect(await ledgerRows(b1)).toBe(0);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    // The job's retry, once the lock is gone.
    const [retry] = ready.filter((r) => r.sessionId === b1);
    if (!retry) throw new Error('b1 missing');
    expect(await writes.apply(retry)).toBe('applied');
    expect(await ledgerRows(a1)).toBe(1);
    expect(await ledgerRows(b1)).toBe(1);
    await expectConsistentRewards(prisma, b.id);
  });
});
