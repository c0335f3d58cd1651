/**
 * PostgreSQL text cannot hold NUL characters, so a body containing the JSON escape \u0000 is
 * refused up front (400 INVALID_CHARACTERS) instead of failing deep inside a query. Used as
 * express.json's `verify` hook; a throw there becomes an `entity.verify.failed` error.
 */
export function rejectNulCharacters(_req: unknown, _res: unknown, buf: Buffer): void {
  if (/\\u0000/i.test(buf.toString('latin1')) || buf.includes(0)) {
    throw new Error('NUL character in body');
  }
}
