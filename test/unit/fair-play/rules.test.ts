import { describe, expect, it } from 'vitest';
import {
  applyDayRules,
  capsFor,
  DAILY_SESSION_GEM_CAP,
  type PayableRewards,
} from '../../../shared/fair-play/index.js';

function rewards(over: Partial<PayableRewards> = {}): PayableRewards {
  const messages = over.messages ?? [
    { index: 1, xp: 28, coins: 9, gems: 1 },
    { index: 3, xp: 14, coins: 5, gems: 0 },
  ];
  const missionBonus = over.missionBonus ?? { xp: 50, coins: 10, gems: 2 };
  const sum = (k: 'xp' | 'coins' | 'gems') =>
    messages.reduce((a, m) => a + m[k], 0) + missionBonus[k];
  return {
    messages,
    missionBonus,
    xpGained: sum('xp'),
    coinsGained: sum('coins'),
    gemsGained: sum('gems'),
    limitedBy: [],
    ...over,
  };
}
const fresh = { repeatedContent: false, missionBonusPaidToday: false, sessionGemsToday: 0 };

describe('capsFor', () => {
  it('gives a successful session the full caps and any other half of them', () => {
    expect(capsFor(true, { xp: 120, coins: 40 })).toEqual({ xp: 120, coins: 40 });
    expect(capsFor(false, { xp: 120, coins: 40 })).toEqual({ xp: 60, coins: 20 });
    expect(capsFor(false, { xp: 7, coins: 3 })).toEqual({ xp: 3, coins: 1 });
  });
});

describe('applyDayRules', () => {
  it('changes nothing on a fresh day', () => {
    expect(applyDayRules(rewards(), fresh)).toEqual(rewards());
  });

  it('keeps fields it does not own', () => {
    const r = { ...rewards(), score: 91, rarityCounts: { C: 0 } };
    expect(applyDayRules(r, fresh)).toMatchObject({ score: 91, rarityCounts: { C: 0 } });
  });

  it('withholds everything from repeated content and says why', () => {
    const r = applyDayRules(rewards({ limitedBy: ['LOW_EFFORT'] }), {
      ...fresh,
      repeatedContent: true,
    });
    expect(r).toMatchObject({
      xpGained: 0,
      coinsGained: 0,
      gemsGained: 0,
      missionBonus: { xp: 0, coins: 0, gems: 0 },
      withheld: 'REPEATED_CONTENT',
      limitedBy: ['LOW_EFFORT', 'REPEATED_CONTENT'],
    });
    expect(r.messages.map((m) => [m.index, m.xp, m.coins, m.gems])).toEqual([
      [1, 0, 0, 0],
      [3, 0, 0, 0],
    ]);
  });

  it('pays the mission bonus once a day: a later pass earns message rewards only', () => {
    const r = applyDayRules(rewards(), { ...fresh, missionBonusPaidToday: true });
    expect(r.missionBonus).toEqual({ xp: 0, coins: 0, gems: 0 });
    expect(r).toMatchObject({ xpGained: 42, coinsGained: 14, gemsGained: 1 });
    expect(r.limitedBy).toEqual(['MISSION_BONUS_PAID_TODAY']);
  });

  it('names no limit when there was no bonus to withhold', () => {
    const none = rewards({ missionBonus: { xp: 0, coins: 0, gems: 0 } });
    expect(applyDayRules(none, { ...fresh, missionBonusPaidToday: true }).limitedBy).toEqual([]);
  });

  it(`caps session gems at ${String(DAILY_SESSION_GEM_CAP)} a day, messages' gems first`, () => {
    expect(DAILY_SESSION_GEM_CAP).toBe(3);
    const atTwo = applyDayRules(rewards(), { ...fresh, sessionGemsToday: 2 });
    expect(atTwo.messages[0]?.gems).toBe(1);
    expect(atTwo.missionBonus.gems).toBe(0);
    expect(atTwo).toMatchObject({ gemsGained: 1, xpGained: 92, limitedBy: ['DAILY_GEM_CAP'] });
    const full = applyDayRules(rewards(), { ...fresh, sessionGemsToday: 5 });
    expect(full.gemsGained).toBe(0);
    expect(full.messages[0]?.gems).toBe(0);
    const room = applyDayRules(rewards(), { ...fresh, sessionGemsToday: 0 });
    expect(room.gemsGained).toBe(3);
    expect(room.limitedBy).toEqual([]);
  });

  it('applies the bonus rule before the gem cap', () => {
    const r = applyDayRules(rewards(), {
      ...fresh,
      missionBonusPaidToday: true,
      sessionGemsToday: 3,
    });
    expect(r.limitedBy).toEqual(['MISSION_BONUS_PAID_TODAY', 'DAILY_GEM_CAP']);
    expect(r.gemsGained).toBe(0);
  });
});
