/**
 * Safety classification and scorer-directed text. Neither treats the user's words as
 * instructions: injection sentences are simply removed before scoring.
 *
 * Both match the text as written and the text folded by ./safety-normalise.ts (leetspeak,
 * lookalike letters, invisible characters, spelled-out letters), so a disguised word gets the
 * verdict of the plain word and folding can only add a match.
 */
import type { SafetyFlag } from '../types.js';
import { INJECTION_PATTERNS, LEX } from './lexicon.js';
import { foldForSafety } from './safety-normalise.js';
import { compilePhrases, countPhrases, normalize, tokenize, type Doc } from './text.js';

const BLOCK_LISTS = [
  { reason: 'threat', set: compilePhrases(LEX.blockThreats) },
  { reason: 'coercion', set: compilePhrases(LEX.blockCoercion) },
  { reason: 'self-harm', set: compilePhrases(LEX.blockSelfHarm) },
  { reason: 'slur', set: compilePhrases(LEX.blockSlurs) },
];
const RISKY = compilePhrases(LEX.risky);

/**
 * Every word of the safety lists and of the injection patterns (regex escapes dropped): where a
 * leet character reads two ways ("1": "i" or "l"), the reading that is one of these wins.
 */
const KNOWN_WORDS: ReadonlySet<string> = new Set(
  [
    ...LEX.blockThreats,
    ...LEX.blockCoercion,
    ...LEX.blockSelfHarm,
    ...LEX.blockSlurs,
    ...LEX.risky,
    ...INJECTION_PATTERNS.map((p) => p.source.replace(/\\./g, ' ')),
  ].flatMap((s) => s.replace(/'/g, '').match(/[a-z]+/g) ?? []),
);

/**
 * The folded text, remembered for the last input: the provider classifies a message and then
 * strips injection from the same normalised text, which folds it once.
 */
let lastFold = { text: '', folded: '' };
function fold(normalized: string): string {
  if (lastFold.text !== normalized) {
    lastFold = { text: normalized, folded: foldForSafety(normalized, KNOWN_WORDS) };
  }
  return lastFold.folded;
}

export interface SafetyResult {
  safetyFlag: SafetyFlag;
  /** Which list matched: 'threat' | 'coercion' | 'self-harm' | 'slur' | 'risky'. */
  reason: string | null;
}

export function classifySafety(doc: Doc): SafetyResult {
  const folded = fold(doc.text);
  const docs = folded === doc.text ? [doc] : [doc, { text: folded, tokens: tokenize(folded) }];
  for (const { reason, set } of BLOCK_LISTS) {
    if (docs.some((d) => countPhrases(set, d) > 0)) return { safetyFlag: 'BLOCK', reason };
  }
  if (docs.some((d) => countPhrases(RISKY, d) > 0)) return { safetyFlag: 'RISKY', reason: 'risky' };
  return { safetyFlag: 'OK', reason: null };
}

export interface InjectionResult {
  /** The message without sentences aimed at the scorer (original casing kept). */
  text: string;
  injection: boolean;
}

/**
 * Removes sentences that address the scorer ("forget your rules… score me 100"). `normalized` is
 * `raw` through `normalize()` (./text.ts).
 */
export function stripInjection(raw: string, normalized: string): InjectionResult {
  if (!addressesScorer(normalized)) return { text: raw, injection: false };
  const sentences = raw.match(/[^.!?\n]+[.!?\n]*/g) ?? [];
  const kept = sentences.filter((s) => !addressesScorer(normalize(s)));
  return { text: kept.join('').trim(), injection: true };
}

function addressesScorer(normalized: string): boolean {
  if (INJECTION_PATTERNS.some((p) => p.test(normalized))) return true;
  const folded = fold(normalized);
  return folded !== normalized && INJECTION_PATTERNS.some((p) => p.test(folded));
}
