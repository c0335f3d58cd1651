import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { heuristicProvider } from '../../shared/ai/index.js';
import {
  applyDayRules,
  effectiveTimeZone,
  type FairPlayLimit,
  type PayableRewards,
} from '../../shared/fair-play/index.js';
import { advanceStreak, localDayNumber } from '../../shared/streak/calc.js';
import { scoreSession } from '../../worker/processors/score-session.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { expectConsistentRewards, goodChat, submitDirect } from '../helpers/practice.js';
import { ZONES, instant, ms } from '../helpers/zones.js';

/**
 * The day rules run in SQL, inside the apply (sg_apply_session), under the user's row lock;
 * shared/fair-play is their specification. These tests hold the SQL to the TypeScript and show
 * that concurrent applies of one user's sessions decide one after the other.
 */
const t = createTestApp();
afterAll(() => t.close());
const { prisma } = t.deps;

const sqlTime = (d: Date) => d.toISOString();

/** A line the heuristic rates S+ (it earns the session's gem), made distinct by `n`. */
const S_PLUS_FOOD = ['Tacos Friday', 'Ramen Saturday', 'Dumplings Thursday', 'Pizza Sunday'];
function sPlusChat(n: number) {
  const food = S_PLUS_FOOD[n % S_PLUS_FOOD.length] ?? '';
  return [
    { role: 'AI', content: 'You seem pretty sure of yourself haha' },
    {
      role: 'USER',
      content: `Pretty sure? I'll take it, though I'm framing that compliment 😄 You have a great eye for people. ${food} at ${String(5 + Math.floor(n / S_PLUS_FOOD.length))} so you can prove it?`,
    },
  ];
}

async function template(rewards: { xp: number; coins: number; gems: number }) {
  return prisma.practiceMissionTemplate.create({
    data: {
      code: `fair-${randomUUID()}`,
      title: 'Fair play',
      description: 'd',
      category: 'OPENERS',
      passScore: 50,
      rewardXp: rewards.xp,
      rewardCoins: rewards.coins,
      rewardGems: rewards.gems,
    },
  });
}

function deps(clock?: () => Date) {
  return {
    prisma,
    provider: heuristicProvider,
    publish: () => Promise.resolve(),
    ...(clock ? { clock } : {}),
  };
}

interface StoredRewards extends PayableRewards {
  isSuccess: boolean;
  levelUpGems: number;
  messages: (PayableRewards['messages'][number] & { rarity: string })[];
}
async function rewardsOf(sessionId: string): Promise<StoredRewards> {
  const row = await prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId } });
  return (row.aiSummary as unknown as { rewards: StoredRewards }).rewards;
}

const reward = fc.record({
  xp: fc.integer({ min: 0, max: 60 }),
  coins: fc.integer({ min: 0, max: 20 }),
  gems: fc.integer({ min: 0, max: 3 }),
});
const LIMITS: FairPlayLimit[] = ['LOW_EFFORT', 'REPEATED_MESSAGE', 'NOT_PASSED_HALF_CAPS'];
const rewardsArb = fc
  .record({
    messages: fc.array(
      fc.record({ index: fc.nat(60), xp: reward.map((r) => r.xp), coins: fc.nat(9) }),
      { maxLength: 6 },
    ),
    gemAt: fc.option(fc.nat(5), { nil: null }),
    missionBonus: reward,
    limitedBy: fc.subarray(LIMITS),
    score: fc.nat(100),
  })
  .map(({ messages, gemAt, missionBonus, limitedBy, score }) => {
    const msgs = messages.map((m, i) => ({ ...m, rarity: 'B', gems: i === gemAt ? 1 : 0 }));
    const sum = (k: 'xp' | 'coins' | 'gems') =>
      msgs.reduce((a, m) => a + m[k], 0) + missionBonus[k];
    return {
      score,
      messages: msgs,
      missionBonus,
      limitedBy,
      xpGained: sum('xp'),
      coinsGained: sum('coins'),
      gemsGained: sum('gems'),
    };
  });

describe('sg_fair_play_rewards', () => {
  it('agrees with applyDayRules', async () => {
    await fc.assert(
      fc.asyncProperty(
        rewardsArb,
        fc.boolean(),
        fc.boolean(),
        fc.nat(6),
        async (r, repeatedContent, missionBonusPaidToday, sessionGemsToday) => {
          const [row] = await prisma.$queryRaw<{ r: unknown }[]>`
            SELECT sg_fair_play_rewards(${JSON.stringify(r)}::jsonb, ${repeatedContent},
              ${missionBonusPaidToday}, ${sessionGemsToday}) AS "r"`;
          expect(row?.r).toEqual(
            applyDayRules(r, { repeatedContent, missionBonusPaidToday, sessionGemsToday }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('sg_effective_zone and sg_local_day_start', () => {
  it('agree with effectiveTimeZone and start the local day of the instant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.option(fc.constantFrom(...ZONES), { nil: null }),
        instant,
        fc.integer({ min: -48, max: 48 }),
        async (zone, previous, at, hoursSinceChange) => {
          const when = ms(at);
          const changedAt = new Date(when.getTime() - hoursSinceChange * 3_600_000);
          const user = {
            timezone: zone,
            previousTimezone: previous,
            timezoneChangedAt: previous === null ? null : changedAt,
          };
          const [row] = await prisma.$queryRaw<{ zone: string; start: Date }[]>`
            SELECT z AS "zone", sg_local_day_start(${sqlTime(when)}::timestamptz AT TIME ZONE 'UTC', z)
              AT TIME ZONE 'UTC' AS "start"
            FROM sg_effective_zone(${user.timezone}, ${user.previousTimezone},
              ${user.timezoneChangedAt && sqlTime(user.timezoneChangedAt)}::timestamptz AT TIME ZONE 'UTC',
              ${sqlTime(when)}::timestamptz AT TIME ZONE 'UTC') AS z`;
          const want = effectiveTimeZone(user, when);
          expect(row?.zone).toBe(want);
          const start = row?.start ?? new Date(NaN);
          const day = localDayNumber(when, want);
          expect(start.getTime()).toBeLessThanOrEqual(when.getTime());
          expect(localDayNumber(start, want)).toBe(day);
          expect(localDayNumber(new Date(start.getTime() - 1), want)).toBe(day - 1);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('sg_streak_record after a timezone change', () => {
  it('agrees with advanceStreak in the zone in effect', async () => {
    const user = await createUser(t.app);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 40 }),
        fc.option(instant, { nil: null }),
        instant,
        fc.integer({ min: -6, max: 48 }),
        async (zone, previous, current, last, at, hoursSinceChange) => {
          const profile = {
            timezone: zone,
            previousTimezone: previous,
            timezoneChangedAt: new Date(ms(at).getTime() - hoursSinceChange * 3_600_000),
          };
          const state = { current, best: current + 3, lastActiveAt: last && ms(last) };
          await prisma.user.update({
            where: { id: user.id },
            data: {
              ...profile,
              streakCurrent: state.current,
              streakBest: state.best,
              streakLastActiveAt: state.lastActiveAt,
            },
          });
          await prisma.$queryRaw`
            SELECT sg_streak_record(${user.id}, ${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')::text`;
          const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
          const want = advanceStreak(state, ms(at), effectiveTimeZone(profile, ms(at)));
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

describe('sg_apply_session: the day rules under concurrency', () => {
  it('pays one mission bonus and at most 3 session gems when one user’s sessions apply at once', async () => {
    const user = await createUser(t.app);
    const mission = await template({ xp: 40, coins: 10, gems: 1 });
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        submitDirect(prisma, user.id, { messages: sPlusChat(n), templateId: mission.id }),
      ),
    );
    const outcomes = await Promise.all(ids.map((sessionId) => scoreSession({ sessionId }, deps())));
    expect(outcomes).toEqual(ids.map(() => 'applied'));

    const all = await Promise.all(ids.map(rewardsOf));
    // Every session succeeded with an S+ line: without the day rules, 6 bonuses and 12 gems.
    expect(all.map((r) => [r.isSuccess, r.messages[0]?.rarity])).toEqual(
      all.map(() => [true, 'S+']),
    );
    const paid = all.filter((r) => r.missionBonus.xp > 0);
    expect(paid).toHaveLength(1);
    expect(all.filter((r) => r.limitedBy.includes('MISSION_BONUS_PAID_TODAY'))).toHaveLength(5);
    const sessionGems = all.reduce((a, r) => a + r.gemsGained - r.levelUpGems, 0);
    expect(sessionGems).toBe(3);
    expect(all.filter((r) => r.limitedBy.includes('DAILY_GEM_CAP')).length).toBeGreaterThan(0);
    const { ledger } = await expectConsistentRewards(prisma, user.id);
    const rewardGems = ledger
      .filter((e) => e.kind === 'SESSION_REWARD')
      .reduce((a, e) => a + e.gems, 0);
    expect(rewardGems).toBe(3);

    const progress = await prisma.missionProgress.findUniqueOrThrow({
      where: { userId_templateId: { userId: user.id, templateId: mission.id } },
    });
    const scores = await prisma.practiceSession.findMany({ where: { id: { in: ids } } });
    expect(progress).toMatchObject({
      attempts: 6,
      passed: true,
      bestScore: Math.max(...scores.map((s) => s.score ?? 0)),
    });
    expect(progress.lastBonusAt).not.toBeNull();
  });

  it('pays only one of four identical sessions applied at once', async () => {
    const user = await createUser(t.app);
    const ids = await Promise.all(
      [0, 1, 2, 3].map(() => submitDirect(prisma, user.id, { messages: goodChat(3) })),
    );
    await Promise.all(ids.map((sessionId) => scoreSession({ sessionId }, deps())));
    const all = await Promise.all(ids.map(rewardsOf));
    expect(all.filter((r) => r.withheld === 'REPEATED_CONTENT')).toHaveLength(3);
    expect(all.filter((r) => r.xpGained > 0)).toHaveLength(1);
    const { ledger } = await expectConsistentRewards(prisma, user.id);
    // A withheld session still has its (zero) reward entry: one per COMPLETED session.
    expect(ledger.filter((e) => e.kind === 'SESSION_REWARD')).toHaveLength(4);
  });
});

describe('sg_apply_session: the windows', () => {
  it('pays repeated content again after 7 days, and the bonus again the next local day', async () => {
    const user = await createUser(t.app, { timezone: 'Asia/Tokyo' });
    const mission = await template({ xp: 30, coins: 5, gems: 0 });
    const run = async (at: string) => {
      const sessionId = await submitDirect(prisma, user.id, {
        messages: goodChat(5),
        templateId: mission.id,
      });
      expect(
        await scoreSession(
          { sessionId },
          deps(() => new Date(at)),
        ),
      ).toBe('applied');
      return rewardsOf(sessionId);
    };
    const first = await run('2026-03-01T14:00:00Z'); // 23:00 in Tokyo
    expect(first.withheld).toBeUndefined();
    expect(first.missionBonus.xp).toBe(30);
    const sixDays = await run('2026-03-07T14:00:00Z');
    expect(sixDays.withheld).toBe('REPEATED_CONTENT');
    expect(sixDays.xpGained).toBe(0);
    // 7 days after the last completed session with this content, it pays again.
    const later = await run('2026-03-14T14:00:01Z');
    expect(later.withheld).toBeUndefined();
    expect(later.missionBonus.xp).toBe(30);

    const other = async (n: number, at: string) => {
      const sessionId = await submitDirect(prisma, user.id, {
        messages: goodChat(n),
        templateId: mission.id,
      });
      await scoreSession(
        { sessionId },
        deps(() => new Date(at)),
      );
      return rewardsOf(sessionId);
    };
    // 23:30 in Tokyo the same local day: bonus already paid; 00:30 the next local day: paid.
    expect((await other(6, '2026-03-14T14:30:00Z')).missionBonus.xp).toBe(0);
    expect((await other(7, '2026-03-14T15:30:00Z')).missionBonus.xp).toBe(30);
    await expectConsistentRewards(prisma, user.id);
  });
});
