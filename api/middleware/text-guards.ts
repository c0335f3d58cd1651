/** Unpaired UTF-16 surrogates (e.g. a JSON "\ud800" escape); PostgreSQL JSON rejects them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * express.json's `reviver`: replaces unpaired surrogates in strings with U+FFFD, as a UTF-8
 * encoder does, so such text is stored instead of failing the insert.
 */
export function wellFormedStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value;
}

/**
 * PostgreSQL text cannot hold NUL characters, so a body containing the JSON escape \u0000 is
 * refused up front (400 INVALID_CHARACTERS) instead of failing deep inside a query. Used as
 * express.json's `verify` hook; a throw there becomes an `entity.verify.failed` error.
 */
export function rejectNulCharacters(_req: unknown, _res: unknown, buf: Buffer): void {
  // An escape \u0000, i.e. a backslash-u0000 not itself escaped by a preceding backslash.
  if (/(?<!\\)(?:\\\\)*\\u0000/i.test(buf.toString('latin1')) || buf.includes(0)) {
    throw new Error('NUL character in body');
  }
}
