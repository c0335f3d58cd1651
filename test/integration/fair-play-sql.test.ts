import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyDayRules,
  effectiveTimeZone,
  type FairPlayLimit,
} from '../../shared/fair-play/index.js';
import { advanceStreak, localDayNumber } from '../../shared/streak/calc.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { ZONES, instant, ms } from '../helpers/zones.js';

/**
 * The day rules run in SQL, inside the apply (sg_apply_session), under the user's row lock;
 * shared/fair-play is their specification. These properties hold the SQL to the TypeScript
 * (fair-play-apply.test.ts runs the apply itself).
 */
const t = createTestApp();
afterAll(() => t.close());
const { prisma } = t.deps;

const sqlTime = (d: Date) => d.toISOString();

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
