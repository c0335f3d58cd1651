import fc from 'fast-check';

/**
 * What the SQL-twin property tests (apply-sql, fair-play-sql) draw from: zones with odd offsets,
 * both date-line sides, a half-hour DST shift and an unknown name (which must read as UTC), and
 * instants across two years.
 */
export const ZONES = [
  'UTC',
  'Europe/Lisbon',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Australia/Lord_Howe',
  'Not/AZone',
];

export const instant = fc.date({
  min: new Date('2025-01-01T00:00:00Z'),
  max: new Date('2027-01-01T00:00:00Z'),
  noInvalidDate: true,
});

/** Millisecond precision, as timestamp(3) stores it. */
export const ms = (d: Date) => new Date(Math.floor(d.getTime()));
