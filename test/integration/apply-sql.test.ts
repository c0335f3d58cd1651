import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { heuristicProvider } from '../../shared/ai/index.js';
import { createPrisma } from '../../shared/db.js';
import { advanceStreak } from '../../shared/streak/calc.js';
import { levelForXp } from '../../shared/wallet/levels.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { goodChat, submitDirect } from '../helpers/practice.js';
import { scoreSession } from '../../worker/processors/score-session.js';
import { ZONES, instant, ms } from '../helpers/zones.js';

/**
 * The apply runs in SQL (sg_apply_session and the owners' functions it calls); the TypeScript in
 * levels.ts and calc.ts is the specification the dashboard reads with. These properties hold the
 * two to the same answers.
 */
const t = createTestApp();
afterAll(() => t.close());
const { prisma } = t.deps;
/** What scoreSession needs, over a given client (a connection in another TimeZone, or the app's). */
const scoring = (client = prisma) => ({
  prisma: client,
  provider: heuristicProvider,
  publish: () => Promise.resolve(),
  applyLockTimeoutMs: 5000,
});

describe('sg_level_for_xp', () => {
  it('agrees with levelForXp', async () => {
    const boundaries = Array.from({ length: 60 }, (_, l) => 50 * l * (l + 1)).flatMap((x) => [
      x - 1,
      x,
      x + 1,
    ]);
    const samples = [...boundaries, ...fc.sample(fc.integer({ min: 0, max: 5_000_000 }), 200)];
    const rows = await prisma.$queryRaw<{ xp: number; level: number }[]>`
      SELECT x AS "xp", sg_level_for_xp(x) AS "level" FROM unnest(${samples}::int[]) AS x`;
    for (const { xp, level } of rows) expect(level, `xp ${String(xp)}`).toBe(levelForXp(xp));
  });
});

describe('sg_streak_record', () => {
  it('agrees with advanceStreak in every zone', async () => {
    const user = await createUser(t.app);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.option(instant, { nil: null }),
        instant,
        async (zone, current, extra, last, at) => {
          const state = { current, best: current + extra, lastActiveAt: last && ms(last) };
          await prisma.user.update({
            where: { id: user.id },
            data: {
              timezone: zone,
              streakCurrent: state.current,
              streakBest: state.best,
              streakLastActiveAt: state.lastActiveAt,
            },
          });
          await prisma.$queryRaw`
            SELECT sg_streak_record(${user.id}, ${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')::text`;
          const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
          const want = advanceStreak(state, ms(at), zone);
          expect({
            current: row.streakCurrent,
            best: row.streakBest,
            lastActiveAt: row.streakLastActiveAt?.toISOString() ?? null,
          }).toEqual({
            current: want.current,
            best: want.best,
            lastActiveAt: want.lastActiveAt?.toISOString() ?? null,
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('timestamps under a non-UTC session time zone', () => {
  it('are written in UTC, as Prisma writes them, by the submit statement and the apply', async () => {
    const url = new URL(t.deps.config.DATABASE_URL);
    url.searchParams.set('options', '-c TimeZone=Asia/Tokyo');
    const tokyo = createPrisma(url.toString(), { max: 2 });
    try {
      const [setting] = await tokyo.$queryRaw<
        { zone: string }[]
      >`SELECT current_setting('TimeZone') AS "zone"`;
      expect(setting?.zone).toBe('Asia/Tokyo');
      const user = await createUser(t.app);
      const sessionId = await submitDirect(tokyo, user.id);
      const deps = scoring(tokyo);
      expect(await scoreSession({ sessionId }, deps)).toBe('applied');

      const near = (d: Date | null | undefined) => {
        expect(Math.abs((d?.getTime() ?? 0) - Date.now())).toBeLessThan(5 * 60_000);
      };
      const session = await prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId } });
      near(session.createdAt);
      near(session.completedAt);
      const key = await prisma.idempotencyKey.findFirstOrThrow({ where: { sessionId } });
      near(key.createdAt);
      expect(key.expiresAt.getTime() - key.createdAt.getTime()).toBe(24 * 3_600_000);
      for (const entry of await prisma.walletLedgerEntry.findMany({ where: { sessionId } })) {
        near(entry.createdAt);
      }
      for (const message of await prisma.chatMessage.findMany({ where: { sessionId } })) {
        near(message.createdAt);
      }
      const stats = await prisma.userStats.findUniqueOrThrow({ where: { userId: user.id } });
      near(stats.lastSessionAt);
    } finally {
      await tokyo.$disconnect();
    }
  });
});

describe('sg_apply_session against stored rows', () => {
  it('keeps stats means, levels, level-up gems and the rewards JSON consistent with every session', async () => {
    const user = await createUser(t.app);
    const deps = scoring();
    // Enough sessions to cross levels (120 XP at most each; level 2 at 100, 3 at 300, 4 at 600),
    // each with its own content (the same content again would earn nothing).
    // Each session's walletAfter is the wallet row its apply left behind.
    const levels: number[] = [];
    for (let i = 0; i < 8; i++) {
      const sessionId = await submitDirect(prisma, user.id, { messages: goodChat(i) });
      expect(await scoreSession({ sessionId }, deps)).toBe('applied');
      const [row, now] = await Promise.all([
        prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId } }),
        prisma.userWallet.findUniqueOrThrow({ where: { userId: user.id } }),
      ]);
      expect(row.walletAfter, `session ${String(i)}`).toEqual({
        xp: now.xp,
        level: now.level,
        coins: now.coins,
        gems: now.gems,
        lifetimeXp: now.lifetimeXp,
      });
      levels.push(now.level);
    }
    // The sessions crossed levels, and a level-up's gem is in the walletAfter of its session.
    expect(new Set(levels).size).toBeGreaterThan(1);
    const sessions = await prisma.practiceSession.findMany({
      where: { userId: user.id },
      orderBy: { completedAt: 'asc' },
    });
    const stats = await prisma.userStats.findUniqueOrThrow({ where: { userId: user.id } });
    const wallet = await prisma.userWallet.findUniqueOrThrow({ where: { userId: user.id } });
    const ledger = await prisma.walletLedgerEntry.findMany({ where: { userId: user.id } });
    const mean = (pick: (s: (typeof sessions)[number]) => number | null) =>
      sessions.reduce((sum, s) => sum + (pick(s) ?? 0), 0) / sessions.length;
    // Running means equal plain means of the stored session columns.
    const expected = {
      averageScore: mean((s) => s.score),
      averageMessageScore: mean((s) => s.messageScore),
      avgCharismaIndex: mean((s) => s.charismaIndex),
      avgConfidence: mean((s) => s.confidenceScore),
      avgClarity: mean((s) => s.clarityScore),
      avgHumor: mean((s) => s.humorScore),
      avgTension: mean((s) => s.tensionScore),
      avgWarmth: mean((s) => s.emotionalWarmth),
      avgDominance: mean((s) => s.dominanceScore),
      avgFillerWords: mean((s) => s.fillerWordsCount),
      avgTotalWords: mean((s) => s.totalWords),
      avgTotalMessages: mean((s) => s.totalMessages),
    };
    for (const [field, value] of Object.entries(expected)) {
      expect(stats[field as keyof typeof expected], field).toBeCloseTo(value, 6);
    }
    expect(stats.sessionsCount).toBe(8);
    // Levels and level-up gems follow lifetime XP session by session.
    let lifetime = 0;
    for (const s of sessions) {
      const rewards = (s.aiSummary as { rewards: Record<string, number> }).rewards;
      const before = levelForXp(lifetime);
      lifetime += s.xpGained;
      const after = levelForXp(lifetime);
      expect(rewards).toMatchObject({
        levelBefore: before,
        levelAfter: after,
        levelUpGems: after - before,
        xpGained: s.xpGained,
        gemsGained: s.gemsGained,
      });
      const levelUp = ledger.filter((e) => e.sessionId === s.id && e.kind === 'LEVEL_UP');
      expect(levelUp.map((e) => e.gems)).toEqual(after > before ? [after - before] : []);
    }
    expect(levelForXp(lifetime)).toBeGreaterThan(1);
    expect(wallet).toMatchObject({ lifetimeXp: lifetime, level: levelForXp(lifetime) });
    // walletAfter steps by each session's rewards, level-up gems included.
    let previous = { xp: 0, level: 1, coins: 0, gems: 0, lifetimeXp: 0 };
    for (const s of sessions) {
      const after = s.walletAfter as typeof previous;
      expect(after).toEqual({
        xp: previous.xp + s.xpGained,
        level: levelForXp(previous.lifetimeXp + s.xpGained),
        coins: previous.coins + s.coinsGained,
        gems: previous.gems + s.gemsGained,
        lifetimeXp: previous.lifetimeXp + s.xpGained,
      });
      previous = after;
    }
  });

  it('leaves walletAfter null until the apply, then keeps its own apply’s wallet as the wallet moves on', async () => {
    const user = await createUser(t.app);
    const deps = scoring();
    const queued = await submitDirect(prisma, user.id, { messages: goodChat(20) });
    const first = await prisma.practiceSession.findUniqueOrThrow({ where: { id: queued } });
    expect(first.walletAfter).toBeNull();
    expect(await scoreSession({ sessionId: queued }, deps)).toBe('applied');
    const applied = await prisma.practiceSession.findUniqueOrThrow({ where: { id: queued } });
    // A second session moves the wallet on; the first session keeps the wallet of its own apply.
    const next = await submitDirect(prisma, user.id, { messages: goodChat(21) });
    expect(await scoreSession({ sessionId: next }, deps)).toBe('applied');
    expect(await scoreSession({ sessionId: queued }, deps)).toBe('not-claimable');
    const again = await prisma.practiceSession.findUniqueOrThrow({ where: { id: queued } });
    expect(again.walletAfter).toEqual(applied.walletAfter);
    const wallet = await prisma.userWallet.findUniqueOrThrow({ where: { userId: user.id } });
    expect(wallet.lifetimeXp).toBeGreaterThan(
      (applied.walletAfter as { lifetimeXp: number }).lifetimeXp,
    );
  });
});
