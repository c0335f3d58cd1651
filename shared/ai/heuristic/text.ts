/** Text helpers for the heuristic provider: normalisation, tokens, compiled phrase lists. */

/** Lower-cased, NFKC, typographic quotes folded to ASCII. */
export function normalize(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase();
}

export interface Token {
  word: string;
  start: number;
  end: number;
}

const WORD_RE = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const start = m.index;
    out.push({ word: m[0], start, end: start + m[0].length });
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One global regex for a phrase list: word boundaries on both ends, longest phrase first, an
 * apostrophe optional, spaces matching any run of spaces or commas, single words of 3+ letters
 * also matching with a trailing "s".
 */
export function compilePhrases(phrases: readonly string[]): RegExp {
  const alts = [...new Set(phrases)]
    .sort((a, b) => b.length - a.length)
    .map((p) => {
      const body = escapeRe(p).replace(/'/g, "'?").replace(/ +/g, '[\\s,]+');
      return /^[a-z]{3,}$/.test(p) ? `${body}s?` : body; // single words also match a plural
    });
  return new RegExp(`(?<![\\p{L}\\p{N}'])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
}

/** Start offsets of every non-overlapping match. */
export function matchStarts(re: RegExp, text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(re)) out.push(m.index);
  return out;
}

export function countMatches(re: RegExp, text: string): number {
  let n = 0;
  for (const _ of text.matchAll(re)) n++;
  return n;
}

export function setOf(words: readonly string[]): ReadonlySet<string> {
  return new Set(words.flatMap((w) => (w.includes("'") ? [w, w.replace(/'/g, '')] : [w])));
}

/** Light stem for topic overlap: drop possessive and common suffixes, keep 5 chars. */
export function stem(word: string): string {
  let w = word.replace(/'s$/, '').replace(/'/g, '');
  if (w.length > 5) w = w.replace(/(ing|ed|es|s)$/, '');
  else if (w.length > 3) w = w.replace(/s$/, '');
  return w.slice(0, 5);
}
