/**
 * Streak math on calendar days in the user's IANA timezone (SCORING.md). Pure: callers pass the
 * clock (`activityAt`, `now`) and write the result themselves.
 */

export interface StreakState {
  current: number;
  best: number;
  lastActiveAt: Date | null;
}

export interface StreakView extends StreakState {
  /** Last activity fell on today's local date. */
  activeToday: boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per timezone; an unknown zone falls back to UTC rather than throwing. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
      });
    } catch {
      f = formatterFor('UTC');
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Days since 1970-01-01 of the local calendar date of `at` in `timeZone`. */
export function localDayNumber(at: Date, timeZone: string): number {
  let year = 1970;
  let month = 1;
  let day = 1;
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  return Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
}

/**
 * The streak after an activity (a completed session) at `activityAt`: same local day → unchanged
 * (lastActiveAt moves to the later instant); the next day → +1; a gap or no history → 1. An
 * activity on a day before the last active day (an out-of-order retry) changes nothing.
 */
export function advanceStreak(state: StreakState, activityAt: Date, timeZone: string): StreakState {
  if (state.lastActiveAt === null) {
    return { current: 1, best: Math.max(state.best, 1), lastActiveAt: activityAt };
  }
  const diff = localDayNumber(activityAt, timeZone) - localDayNumber(state.lastActiveAt, timeZone);
  if (diff < 0) return { ...state };
  if (diff === 0) {
    const current = Math.max(state.current, 1);
    const later = activityAt > state.lastActiveAt ? activityAt : state.lastActiveAt;
    return { current, best: Math.max(state.best, current), lastActiveAt: later };
  }
  const current = diff === 1 ? state.current + 1 : 1;
  return { current, best: Math.max(state.best, current), lastActiveAt: activityAt };
}

/**
 * The streak as shown at `now`: 0 when the last active day is before yesterday (the stored value
 * is not touched), and whether the user was already active today.
 */
export function readStreak(state: StreakState, now: Date, timeZone: string): StreakView {
  if (state.lastActiveAt === null) {
    return { current: 0, best: state.best, lastActiveAt: null, activeToday: false };
  }
  const diff = localDayNumber(now, timeZone) - localDayNumber(state.lastActiveAt, timeZone);
  return {
    current: diff <= 1 ? state.current : 0,
    best: state.best,
    lastActiveAt: state.lastActiveAt,
    activeToday: diff <= 0,
  };
}
