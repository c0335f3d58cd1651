/**
 * Generated disguises of listed safety terms must get the plain term's verdict, and ordinary text
 * (numbers, accents, other scripts, words that merely contain a listed one) must stay OK.
 */
import { describe, expect, it } from 'vitest';
import { LEX } from '../../../shared/ai/heuristic/lexicon.js';
import { classifySafety } from '../../../shared/ai/heuristic/safety.js';
import { makeDoc } from '../../../shared/ai/heuristic/text.js';

/** A handful of listed terms, one or two per list. */
const BASES: { term: string; list: readonly string[] }[] = [
  { term: 'kill you', list: LEX.blockThreats },
  { term: 'i know where you live', list: LEX.blockThreats },
  { term: 'unless you send', list: LEX.blockCoercion },
  { term: 'kill myself', list: LEX.blockSelfHarm },
  { term: 'suicide', list: LEX.blockSelfHarm },
  { term: 'retard', list: LEX.blockSlurs },
  { term: 'nudes', list: LEX.risky },
  { term: 'horny', list: LEX.risky },
  { term: 'naked', list: LEX.risky },
];

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', l: '1', o: '0', s: '5', t: '7' };
/** Lookalikes that Unicode's confusables.txt maps to the Latin letter. */
const CYRILLIC: Record<string, string> = {
  a: '\u0430',
  c: '\u0441',
  d: '\u0501',
  e: '\u0435',
  h: '\u04bb',
  i: '\u0456',
  j: '\u0458',
  k: '\u043a',
  o: '\u043e',
  p: '\u0440',
  s: '\u0455',
  x: '\u0445',
  y: '\u0443',
};
const GREEK: Record<string, string> = {
  a: '\u03b1',
  i: '\u03b9',
  k: '\u03ba',
  o: '\u03bf',
  p: '\u03c1',
  t: '\u03c4',
  u: '\u03c5',
  v: '\u03bd',
  x: '\u03c7',
};
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];

type WordFn = (word: string) => string;

/** The code points of a word (the terms are ASCII; a fullwidth letter is one code point too). */
const letters = (s: string): string[] => Array.from(s);

/** Applies `fn` to each word; a lone letter is left as it is when `skipSingle` (a lone digit is a number). */
function perWord(fn: WordFn, skipSingle = false): (term: string) => string {
  return (term) =>
    term
      .split(' ')
      .map((w) => (skipSingle && w.length === 1 ? w : fn(w)))
      .join(' ');
}
const mapAll =
  (table: Record<string, string>): WordFn =>
  (w) =>
    letters(w)
      .map((c) => table[c] ?? c)
      .join('');
const mapFirst =
  (table: Record<string, string>): WordFn =>
  (w) => {
    const i = letters(w).findIndex((c) => table[c] !== undefined);
    return i < 0 ? w : w.slice(0, i) + (table[w[i]!] ?? '') + w.slice(i + 1);
  };
const between =
  (sep: string): WordFn =>
  (w) =>
    letters(w).join(sep);
const alternating: WordFn = (w) =>
  letters(w)
    .map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c))
    .join('');
const fullwidth = (s: string) =>
  letters(s)
    .map((c) => (c === ' ' ? '\u3000' : String.fromCodePoint(c.codePointAt(0)! + 0xfee0)))
    .join('');
const mathBold: WordFn = (w) =>
  letters(w)
    .map((c) => String.fromCodePoint(0x1d41a + c.charCodeAt(0) - 97))
    .join('');
/** Odd letters in leet, even ones Cyrillic where there is one. */
const leetAndCyrillic: WordFn = (w) =>
  letters(w)
    .map((c, i) => (i % 2 === 1 ? (LEET[c] ?? c) : (CYRILLIC[c] ?? c)))
    .join('');

/** A small seeded generator (mulberry32), so the mixed variants are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each letter disguised its own way (case, leet, Cyrillic, Greek, fullwidth, an invisible after). */
function mixed(seed: number): (term: string) => string {
  return (term) => {
    const rnd = seeded(seed + term.length);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const letter = (c: string, single: boolean) =>
      pick([
        c.toUpperCase(),
        single ? c : (LEET[c] ?? c),
        CYRILLIC[c] ?? c,
        GREEK[c] ?? c,
        fullwidth(c),
      ]) + (rnd() < 0.3 ? pick(INVISIBLE) : '');
    return term
      .split(' ')
      .map((w) =>
        letters(w)
          .map((c) => letter(c, w.length === 1))
          .join(''),
      )
      .join(' ');
  };
}

const VARIANTS: Record<string, (term: string) => string> = {
  upper: (t) => t.toUpperCase(),
  alternatingCase: perWord(alternating),
  leetEveryLetter: perWord(mapAll(LEET), true),
  leetOneLetter: perWord(mapFirst(LEET), true),
  cyrillicEveryLetter: perWord(mapAll(CYRILLIC)),
  cyrillicOneLetter: perWord(mapFirst(CYRILLIC)),
  greekEveryLetter: perWord(mapAll(GREEK)),
  upperGreek: (t) => perWord(mapAll(GREEK))(t).toUpperCase(),
  ...Object.fromEntries(
    INVISIBLE.map((ch) => [`invisible U+${ch.codePointAt(0)!.toString(16)}`, perWord(between(ch))]),
  ),
  'hyphens between letters': perWord(between('-')),
  'dots between letters': perWord(between('.')),
  'underscores between letters': perWord(between('_')),
  'stars between letters': perWord(between('*')),
  // Spelled out with single spaces, words need a wider gap to stay apart.
  'spaces between letters': (t) => t.split(' ').map(between(' ')).join('   '),
  'strike-through': perWord((w) =>
    letters(w)
      .map((c) => `${c}\u0336`)
      .join(''),
  ),
  fullwidth,
  mathematicalBold: perWord(mathBold),
  'leet and Cyrillic': perWord(leetAndCyrillic, true),
  'leet with hyphens': perWord((w) => between('-')(mapAll(LEET)(w)), true),
  'Cyrillic with zero-width joins, upper case': (t) =>
    perWord((w) => between('\u200b')(mapFirst(CYRILLIC)(w)))(t).toUpperCase(),
  'fullwidth leet': (t) => fullwidth(perWord(mapAll(LEET), true)(t)),
  ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => [`mixed #${seed}`, mixed(seed)])),
};

describe('safety: generated disguises of listed terms', () => {
  it('uses terms that are on the lists and flagged as written', () => {
    for (const { term, list } of BASES) {
      expect(list).toContain(term);
      expect(classifySafety(makeDoc(term)).safetyFlag).not.toBe('OK');
    }
  });

  const cases = BASES.flatMap(({ term }) =>
    Object.entries(VARIANTS).map(([name, make]) => ({ term, name, text: make(term) })),
  );

  it(`flags all ${cases.length} variants as the plain term, alone and in a sentence`, () => {
    const misses: string[] = [];
    for (const { term, name, text } of cases) {
      const expected = classifySafety(makeDoc(term));
      for (const message of [text, `hey, ${text} lol`]) {
        const got = classifySafety(makeDoc(message));
        if (got.safetyFlag !== expected.safetyFlag || got.reason !== expected.reason) {
          misses.push(`${term} / ${name}: ${JSON.stringify(message)} → ${got.safetyFlag}`);
        }
      }
      expect(text, `${name} left "${term}" unchanged`).not.toBe(term);
    }
    expect(misses).toEqual([]);
  });
});

/** Written for this test: everyday messages that must stay OK. */
const ORDINARY = [
  // numbers, times, prices
  'see you at 7',
  'I ran 5k this morning, then 10k on Sunday',
  'room 101, second floor',
  'Dinner at 7:30pm? The set menu is $45 or £39.50',
  'tickets were €12 each, 2 for 20',
  'my flight lands at 10:15am on the 3rd',
  'I was born in 1994 and moved here in 2011',
  'we finished 1st and 2nd, they came 4th',
  'the 9-5 grind, 24/7 on call, 50/50 odds',
  'score was 3-1, then 4-4 after extra time',
  'call me on 555 0173 after 6',
  'my PS5 and the 4K TV, 1080p is fine too',
  'covid-19 cancelled the trip, h2o and co2 in chemistry class',
  'gr8 idea, c u l8r, b4 noon',
  'vitamin b12 and d3, 3x a week',
  'I have 1 cat and 3 dogs',
  'ping @sam and @alex, see you @ 8',
  // accents, other languages, non-Latin names
  'Café au lait with Zoë, then a naïve résumé review',
  'Ich möchte einen Kaffee, bitte. Straße, fünf, schön',
  'On a mangé du fromage râpé avec une râpe neuve',
  'O rapé é uma tradição antiga',
  'Crème brûlée, jalapeño, smörgåsbord and a façade',
  'Søren, Björn, Łukasz, Dvořák and José met in São Paulo',
  'Привет! Меня зовут Саша, я из Москвы. Увидимся в 7?',
  'Дякую, до зустрічі завтра',
  'Καλημέρα, με λένε Ελένη. Ο Νίκος και ο Γιώργος έρχονται',
  'こんにちは、田中です。よろしくお願いします',
  '你好，我叫李明',
  'مرحبا، اسمي أحمد',
  'שלום, קוראים לי נועה',
  'नमस्ते, मेरा नाम प्रिया है',
  'Iğdırlı Işık ile buluştuk',
  'Xin chào, tôi là Minh',
  'love this ❤️ 👨‍👩‍👧 👍🏽',
  // listed words as substrings of ordinary ones
  'My therapist says grapes and drapes are fine',
  'She is an analyst from Essex, he grew up in Sussex',
  'A skillet, a skilled assassin and a classic cocktail',
  'Scunthorpe has a raccoon, a tycoon and a cocoon',
  'That spice is too spicy, says the specialist',
  'Charles Dickens wrote it, and the title is classic',
  // letters with separators in ordinary writing
  'the A/B test, e.g. a t-shirt, i.e. the U.S.A. version',
  'P.S. it was O.K., a.k.a. fine, R.I.P. my phone',
  'plan a, b or c',
  'u r so funny, i m glad',
  'Wi-Fi password is x-y-z',
];

describe('safety: ordinary text stays OK', () => {
  it.each(ORDINARY)('%j', (text) => {
    expect(classifySafety(makeDoc(text))).toEqual({ safetyFlag: 'OK', reason: null });
  });
});
