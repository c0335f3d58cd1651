import { describe, expect, it } from 'vitest';
import {
  advanceStreak,
  localDayNumber,
  readStreak,
  type StreakState,
} from '../../../shared/streak/calc.js';

const at = (iso: string) => new Date(iso);
const fresh: StreakState = { current: 0, best: 0, lastActiveAt: null };

describe('advanceStreak', () => {
  it('starts at 1 on the first activity', () => {
    const t = at('2026-03-10T12:00:00Z');
    expect(advanceStreak(fresh, t, 'UTC')).toEqual({ current: 1, best: 1, lastActiveAt: t });
  });

  it('keeps the count on the same day and moves lastActiveAt forward', () => {
    const s = { current: 3, best: 5, lastActiveAt: at('2026-03-10T08:00:00Z') };
    const later = at('2026-03-10T22:00:00Z');
    expect(advanceStreak(s, later, 'UTC')).toEqual({ current: 3, best: 5, lastActiveAt: later });
  });

  it('adds one on the next day and raises best', () => {
    const s = { current: 5, best: 5, lastActiveAt: at('2026-03-10T23:59:00Z') };
    const next = at('2026-03-11T00:01:00Z');
    expect(advanceStreak(s, next, 'UTC')).toEqual({ current: 6, best: 6, lastActiveAt: next });
  });

  it('resets to 1 after a gap and keeps best', () => {
    const s = { current: 7, best: 9, lastActiveAt: at('2026-03-10T12:00:00Z') };
    const t = at('2026-03-12T12:00:00Z');
    expect(advanceStreak(s, t, 'UTC')).toEqual({ current: 1, best: 9, lastActiveAt: t });
  });

  it('ignores an activity from a day before the last active day (out-of-order retry)', () => {
    const s = { current: 4, best: 4, lastActiveAt: at('2026-03-10T12:00:00Z') };
    expect(advanceStreak(s, at('2026-03-09T12:00:00Z'), 'UTC')).toEqual(s);
  });

  it('counts calendar days in the user timezone', () => {
    // 23:30 UTC on the 10th and 00:30 UTC on the 11th are 19:30 and 20:30 on the 10th in New York.
    const s = { current: 2, best: 2, lastActiveAt: at('2026-03-10T23:30:00Z') };
    const t = at('2026-03-11T00:30:00Z');
    expect(advanceStreak(s, t, 'America/New_York').current).toBe(2);
    expect(advanceStreak(s, t, 'UTC').current).toBe(3);
  });

  it('handles timezones ahead of UTC (Pacific/Auckland)', () => {
    // 10:30 UTC and 11:30 UTC on 10 March are 23:30 on the 10th and 00:30 on the 11th in Auckland (UTC+13).
    const s = { current: 1, best: 1, lastActiveAt: at('2026-03-10T10:30:00Z') };
    const t = at('2026-03-10T11:30:00Z');
    expect(advanceStreak(s, t, 'Pacific/Auckland').current).toBe(2);
    expect(advanceStreak(s, t, 'UTC').current).toBe(1);
  });

  it('falls back to UTC for an unknown timezone', () => {
    const d = at('2026-03-10T23:30:00Z');
    expect(localDayNumber(d, 'Not/AZone')).toBe(localDayNumber(d, 'UTC'));
  });
});

describe('readStreak', () => {
  const s = { current: 4, best: 6, lastActiveAt: at('2026-03-10T18:00:00Z') };

  it('shows the streak and activeToday on the same day', () => {
    expect(readStreak(s, at('2026-03-10T20:00:00Z'), 'UTC')).toEqual({ ...s, activeToday: true });
  });

  it('keeps the streak alive through yesterday', () => {
    expect(readStreak(s, at('2026-03-11T23:00:00Z'), 'UTC')).toEqual({ ...s, activeToday: false });
  });

  it('shows 0 after a gap without changing the stored state', () => {
    const before = structuredClone(s);
    const view = readStreak(s, at('2026-03-12T00:30:00Z'), 'UTC');
    expect(view).toEqual({ current: 0, best: 6, lastActiveAt: s.lastActiveAt, activeToday: false });
    expect(s).toEqual(before);
  });

  it('uses the timezone to decide what yesterday is', () => {
    // Last active 18:00 UTC on the 10th = 07:00 on the 11th in Auckland; 12:00 UTC on the 12th is
    // 01:00 on the 13th there: two local days later, so the streak shows 0.
    expect(readStreak(s, at('2026-03-12T12:00:00Z'), 'Pacific/Auckland').current).toBe(0);
    // 03:00 UTC on the 12th is 23:00 on the 11th in New York: yesterday there, so still alive.
    expect(readStreak(s, at('2026-03-12T03:00:00Z'), 'America/New_York').current).toBe(4);
    expect(readStreak(s, at('2026-03-12T03:00:00Z'), 'UTC').current).toBe(0);
  });

  it('shows 0 and not active without any activity', () => {
    expect(readStreak(fresh, at('2026-03-10T12:00:00Z'), 'UTC')).toEqual({
      current: 0,
      best: 0,
      lastActiveAt: null,
      activeToday: false,
    });
  });
});
