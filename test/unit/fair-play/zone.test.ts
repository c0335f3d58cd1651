import { describe, expect, it } from 'vitest';
import {
  changeTimeZone,
  effectiveTimeZone,
  TIMEZONE_SETTLE_MS,
} from '../../../shared/fair-play/index.js';

const at = (iso: string) => new Date(iso);
const never = { timezone: 'Europe/Paris', previousTimezone: null, timezoneChangedAt: null };

describe('effectiveTimeZone', () => {
  it('is the profile zone when it never changed', () => {
    expect(effectiveTimeZone(never, at('2026-03-10T12:00:00Z'))).toBe('Europe/Paris');
  });

  it('is the previous zone for 24 hours after a change, then the new one', () => {
    const changed = {
      timezone: 'Asia/Tokyo',
      previousTimezone: 'UTC',
      timezoneChangedAt: at('2026-03-10T12:00:00Z'),
    };
    expect(TIMEZONE_SETTLE_MS).toBe(24 * 3_600_000);
    expect(effectiveTimeZone(changed, at('2026-03-10T12:00:00Z'))).toBe('UTC');
    expect(effectiveTimeZone(changed, at('2026-03-11T11:59:59.999Z'))).toBe('UTC');
    expect(effectiveTimeZone(changed, at('2026-03-11T12:00:00Z'))).toBe('Asia/Tokyo');
    // An activity from before the change (applied late) also counts in the old zone.
    expect(effectiveTimeZone(changed, at('2026-03-09T12:00:00Z'))).toBe('UTC');
  });
});

describe('changeTimeZone', () => {
  it('records the zone in effect and the time of the change', () => {
    const now = at('2026-03-10T12:00:00Z');
    expect(changeTimeZone(never, 'Asia/Tokyo', now)).toEqual({
      timezone: 'Asia/Tokyo',
      previousTimezone: 'Europe/Paris',
      timezoneChangedAt: now,
    });
  });

  it('changes nothing when the zone is the same', () => {
    expect(changeTimeZone(never, 'Europe/Paris', at('2026-03-10T12:00:00Z'))).toEqual(never);
  });

  it('keeps counting in the zone of before the first change when changed again within 24 hours', () => {
    const first = changeTimeZone(never, 'Asia/Tokyo', at('2026-03-10T12:00:00Z'));
    const second = changeTimeZone(first, 'Pacific/Kiritimati', at('2026-03-10T13:00:00Z'));
    expect(second.previousTimezone).toBe('Europe/Paris');
    // The wait restarts: the second change counts 24 hours after it, not after the first.
    expect(effectiveTimeZone(second, at('2026-03-11T12:30:00Z'))).toBe('Europe/Paris');
    expect(effectiveTimeZone(second, at('2026-03-11T13:00:00Z'))).toBe('Pacific/Kiritimati');
  });

  it('takes the settled zone as the previous one once the last change is 24 hours old', () => {
    const first = changeTimeZone(never, 'Asia/Tokyo', at('2026-03-10T12:00:00Z'));
    const second = changeTimeZone(first, 'UTC', at('2026-03-12T12:00:00Z'));
    expect(second.previousTimezone).toBe('Asia/Tokyo');
  });
});
