import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import type { PracticeSession, PrismaClient } from '../../shared/db.js';
import { levelForXp } from '../../shared/wallet/levels.js';
import { submitSession } from '../../shared/sessions/submit.js';
import type { TestUser } from './factories.js';
import { GOOD_CHAT, goodChat } from './fixtures.js';

export { GOOD_CHAT, goodChat };

/** Submits a text session with a fresh (or given) Idempotency-Key. */
export function submitText(
  app: Express,
  user: TestUser,
  body: Record<string, unknown> = { messages: GOOD_CHAT },
  key: string = randomUUID(),
) {
  return request(app)
    .post('/v1/practice/session')
    .set(user.auth)
    .set('Idempotency-Key', key)
    .send(body);
}

/** Long-polls a session until it is COMPLETED or FAILED (each poll is woken by the worker). */
export async function waitForTerminal(app: Express, user: TestUser, sessionId: string) {
  for (let i = 0; i < 20; i++) {
    const res = await request(app)
      .get(`/v1/practice/sessions/${sessionId}?waitMs=5000`)
      .set(user.auth);
    expect(res.status).toBe(200);
    if (res.body.status === 'COMPLETED' || res.body.status === 'FAILED') return res;
  }
  throw new Error(`session ${sessionId} did not finish`);
}

/**
 * The exactly-once invariant for one user: wallet = Σ ledger = Σ session rewards (level-up gems
 * included); one SESSION_REWARD entry per COMPLETED session and none for others; stats count every
 * completed session; and each completed session's `walletAfter` is the wallet its apply left (see
 * expectWalletChain).
 */
export async function expectConsistentRewards(prisma: PrismaClient, userId: string) {
  const [wallet, stats, ledger, sessions] = await Promise.all([
    prisma.userWallet.findUniqueOrThrow({ where: { userId } }),
    prisma.userStats.findUniqueOrThrow({ where: { userId } }),
    prisma.walletLedgerEntry.findMany({ where: { userId } }),
    prisma.practiceSession.findMany({ where: { userId } }),
  ]);
  const sum = (rows: { xp: number; coins: number; gems: number }[]) =>
    rows.reduce((a, r) => ({ xp: a.xp + r.xp, coins: a.coins + r.coins, gems: a.gems + r.gems }), {
      xp: 0,
      coins: 0,
      gems: 0,
    });
  expect({ xp: wallet.lifetimeXp, coins: wallet.coins, gems: wallet.gems }).toEqual(sum(ledger));
  const completed = sessions.filter((s) => s.status === 'COMPLETED');
  const rewardEntries = ledger.filter((e) => e.kind === 'SESSION_REWARD');
  expect(rewardEntries.map((e) => e.sessionId).sort()).toEqual(completed.map((s) => s.id).sort());
  expect(ledger.every((e) => e.sessionId && completed.some((s) => s.id === e.sessionId))).toBe(
    true,
  );
  expect(sum(ledger)).toEqual(
    sum(completed.map((s) => ({ xp: s.xpGained, coins: s.coinsGained, gems: s.gemsGained }))),
  );
  expect(stats.sessionsCount).toBe(completed.length);
  expect(stats.successCount + stats.failCount).toBe(completed.length);
  expectWalletChain(wallet, completed);
  return { wallet, stats, ledger, completed };
}

type Totals = { lifetimeXp: number; coins: number; gems: number };

/**
 * The `walletAfter` each COMPLETED session stored is the wallet of the moment its apply ran, even
 * when applies race: the wallet only grows, so ordered by (lifetimeXp, coins, gems) the distinct
 * walletAfter values step from the empty wallet by the rewards of the sessions that left them
 * (sessions that earned nothing share their predecessor's), end at the wallet row, and each has
 * xp = lifetimeXp and the level of its lifetimeXp.
 */
function expectWalletChain(
  wallet: Totals & { xp: number; level: number },
  completed: PracticeSession[],
) {
  const groups = new Map<string, { after: Totals; earned: Totals }>();
  for (const s of completed) {
    const after = s.walletAfter as (Totals & { xp: number; level: number }) | null;
    expect(after, `walletAfter of ${s.id}`).not.toBeNull();
    if (!after) continue;
    expect(after.xp).toBe(after.lifetimeXp);
    expect(after.level).toBe(levelForXp(after.lifetimeXp));
    const key = JSON.stringify(after);
    const group = groups.get(key) ?? { after, earned: { lifetimeXp: 0, coins: 0, gems: 0 } };
    group.earned.lifetimeXp += s.xpGained;
    group.earned.coins += s.coinsGained;
    group.earned.gems += s.gemsGained;
    groups.set(key, group);
  }
  const steps = [...groups.values()].sort(
    (a, b) =>
      a.after.lifetimeXp - b.after.lifetimeXp ||
      a.after.coins - b.after.coins ||
      a.after.gems - b.after.gems,
  );
  let before: Totals = { lifetimeXp: 0, coins: 0, gems: 0 };
  for (const { after, earned } of steps) {
    expect({
      lifetimeXp: after.lifetimeXp - before.lifetimeXp,
      coins: after.coins - before.coins,
      gems: after.gems - before.gems,
    }).toEqual(earned);
    before = after;
  }
  if (steps.length > 0) {
    expect(steps.at(-1)?.after).toEqual({
      xp: wallet.xp,
      level: wallet.level,
      coins: wallet.coins,
      gems: wallet.gems,
      lifetimeXp: wallet.lifetimeXp,
    });
  }
}

/**
 * A QUEUED text session stored by the submit statement itself (no HTTP, nothing enqueued), for
 * tests that run the processor directly; its id.
 */
export async function submitDirect(
  client: PrismaClient,
  userId: string,
  opts: { messages?: { role: string; content: string }[]; templateId?: string | null } = {},
): Promise<string> {
  const messages = opts.messages ?? GOOD_CHAT;
  const outcome = await submitSession(client, {
    userId,
    key: randomUUID(),
    route: 'POST /v1/practice/session',
    fingerprint: randomUUID(),
    input: {
      mode: 'text',
      messages: messages.map((m) => ({ role: m.role as 'USER' | 'AI', content: m.content })),
    },
    topic: null,
    personaId: null,
    templateId: opts.templateId ?? null,
    ttlHours: 24,
    maxInFlight: 100_000,
  });
  if (outcome.kind !== 'created') throw new Error(`not created: ${outcome.kind}`);
  return outcome.session.id;
}
