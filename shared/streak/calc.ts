/**
 * Streaks count calendar days in the user's IANA time zone: activity on the same local day changes
 * nothing, on the next day adds one, after a gap restarts at one.
 */

export interface StreakState {
  current: number;
  best: number;
  lastActiveAt: Date | null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local calendar day of an instant, as a day number (days since 1970-01-01 of that calendar). */
export function localDay(at: Date, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Math.round(Date.UTC(get('year'), get('month') - 1, get('day')) / 86_400_000);
}

export function advanceStreak(state: StreakState, activityAt: Date, timeZone: string): StreakState {
  if (!state.lastActiveAt) {
    return { current: 1, best: Math.max(state.best, 1), lastActiveAt: activityAt };
  }
  const last = localDay(state.lastActiveAt, timeZone);
  const today = localDay(activityAt, timeZone);
  if (today < last) return state; // an out-of-order (late) apply: the streak already covers it
  if (today === last) {
    return { ...state, current: Math.max(state.current, 1), lastActiveAt: activityAt };
  }
  const current = today === last + 1 ? state.current + 1 : 1;
  return { current, best: Math.max(state.best, current), lastActiveAt: activityAt };
}

/** The streak as shown: 0 when the last active day is before yesterday (nothing is written). */
export function readStreak(
  state: StreakState,
  now: Date,
  timeZone: string,
): StreakState & { activeToday: boolean } {
  if (!state.lastActiveAt) return { ...state, current: 0, activeToday: false };
  const last = localDay(state.lastActiveAt, timeZone);
  const today = localDay(now, timeZone);
  return {
    ...state,
    current: today - last > 1 ? 0 : state.current,
    activeToday: last === today,
  };
}
