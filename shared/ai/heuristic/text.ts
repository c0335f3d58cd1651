/**
 * Text helpers for the heuristic provider: normalisation, tokens and phrase lists matched on
 * tokens (not regexes), which keeps a 20-message session well under a millisecond or two.
 */

/** Lower-cased, NFKC, typographic quotes folded to ASCII. */
export function normalize(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase();
}

export interface Token {
  /** As written (normalised), apostrophes kept: "don't". */
  word: string;
  /** Matching key: apostrophes removed, so "don't" and "dont" are the same word. */
  key: string;
  start: number;
  end: number;
}

/** A normalised text with its tokens, built once per message and shared by every matcher. */
export interface Doc {
  text: string;
  tokens: Token[];
}

const WORD_RE = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const start = m.index;
    out.push({ word: m[0], key: m[0].replace(/'/g, ''), start, end: start + m[0].length });
  }
  return out;
}

export function makeDoc(raw: string): Doc {
  const text = normalize(raw);
  return { text, tokens: tokenize(text) };
}

interface Phrase {
  keys: string[];
  /** The phrase ends with "?" ("you?", "kind of?"): a question mark must follow it. */
  question: boolean;
  /** Single words of 3+ letters also match a plural ("loser" matches "losers"). */
  plural: boolean;
}

/** A compiled phrase list: phrases indexed by their first word, longest first. */
export interface PhraseSet {
  byFirst: ReadonlyMap<string, readonly Phrase[]>;
}

export function compilePhrases(phrases: readonly string[]): PhraseSet {
  const byFirst = new Map<string, Phrase[]>();
  for (const p of new Set(phrases)) {
    const keys = p
      .replace(/'/g, '')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((k) => k !== '');
    const first = keys[0];
    if (first === undefined) continue;
    const phrase = { keys, question: p.endsWith('?'), plural: /^[a-z]{3,}$/.test(p) };
    const list = byFirst.get(first) ?? [];
    list.push(phrase);
    byFirst.set(first, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.keys.length - a.keys.length);
  return { byFirst };
}

export interface PhraseMatch {
  /** Index of the first token. */
  token: number;
  /** Number of tokens matched. */
  length: number;
  start: number;
  end: number;
}

/** Length in tokens of the longest phrase from `list` starting at token i, or 0. */
function longestAt(doc: Doc, i: number, list: readonly Phrase[] | undefined, pluralOnly: boolean) {
  if (list === undefined) return 0;
  for (const p of list) {
    if (pluralOnly && !p.plural) continue;
    let ok = true;
    for (let k = 1; k < p.keys.length && ok; k++) ok = doc.tokens[i + k]?.key === p.keys[k];
    if (!ok) continue;
    const last = doc.tokens[i + p.keys.length - 1];
    if (p.question && (last === undefined || !/^\s*\?/.test(doc.text.slice(last.end)))) continue;
    return p.keys.length;
  }
  return 0;
}

function matchAt(set: PhraseSet, doc: Doc, i: number): number {
  const key = doc.tokens[i]?.key;
  if (key === undefined) return 0;
  const exact = longestAt(doc, i, set.byFirst.get(key), false);
  if (exact > 0 || key.length < 4 || !key.endsWith('s')) return exact;
  return longestAt(doc, i, set.byFirst.get(key.slice(0, -1)), true);
}

/** Non-overlapping matches, left to right, longest phrase first at each position. */
export function findPhrases(set: PhraseSet, doc: Doc): PhraseMatch[] {
  const out: PhraseMatch[] = [];
  for (let i = 0; i < doc.tokens.length;) {
    const length = matchAt(set, doc, i);
    if (length === 0) {
      i++;
      continue;
    }
    const first = doc.tokens[i];
    const last = doc.tokens[i + length - 1];
    if (first !== undefined && last !== undefined) {
      out.push({ token: i, length, start: first.start, end: last.end });
    }
    i += length;
  }
  return out;
}

export function countPhrases(set: PhraseSet, doc: Doc): number {
  return findPhrases(set, doc).length;
}

/** Regex match count (for the few patterns that are not word lists; `re` must be global). */
export function countMatches(re: RegExp, text: string): number {
  return text.match(re)?.length ?? 0;
}

/** A set of words keyed like tokens (apostrophes removed). */
export function keySet(words: readonly string[]): ReadonlySet<string> {
  return new Set(words.map((w) => w.replace(/'/g, '')));
}

/** Light stem for topic overlap: drop common suffixes ("hiked", "hiking" → "hik"), keep 5 chars. */
export function stem(key: string): string {
  let w = key;
  if (w.length > 4) w = w.replace(/(ing|ed|es|s)$/, '');
  else if (w.length > 3) w = w.replace(/s$/, '');
  return w.slice(0, 5);
}
