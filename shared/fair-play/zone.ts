/**
 * Which timezone a user's days are counted in (SCORING.md, Streak): a timezone change applies only
 * from 24 hours after it, so switching zones cannot make one day count twice. The streak and the
 * daily fair-play limits (mission bonus, session gems) both count days in this zone.
 */

/** How long a changed timezone waits before it counts. */
export const TIMEZONE_SETTLE_MS = 24 * 3_600_000;

export interface UserZone {
  /** The zone the user chose last (the profile's). */
  timezone: string;
  /** The zone days were counted in when `timezone` was chosen; null if never changed. */
  previousTimezone: string | null;
  /** When `timezone` was chosen; null if never changed. */
  timezoneChangedAt: Date | null;
}

/** The zone days are counted in at `at`: the previous one until 24 hours after the change. */
export function effectiveTimeZone(user: UserZone, at: Date): string {
  if (
    user.previousTimezone !== null &&
    user.timezoneChangedAt !== null &&
    at.getTime() < user.timezoneChangedAt.getTime() + TIMEZONE_SETTLE_MS
  ) {
    return user.previousTimezone;
  }
  return user.timezone;
}

/**
 * The zone fields after the user picks `next` at `now`. The zone in effect at the change is kept
 * as the previous one — so a second change within 24 hours keeps counting in the zone of before
 * the first, and restarts the wait. Picking the current zone changes nothing.
 */
export function changeTimeZone(user: UserZone, next: string, now: Date): UserZone {
  if (next === user.timezone) return { ...user };
  return { timezone: next, previousTimezone: effectiveTimeZone(user, now), timezoneChangedAt: now };
}
