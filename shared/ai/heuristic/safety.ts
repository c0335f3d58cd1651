/**
 * Safety classification and scorer-directed text. Neither treats the user's words as
 * instructions: injection sentences are simply removed before scoring.
 */
import type { SafetyFlag } from '../types.js';
import { INJECTION_PATTERNS, LEX } from './lexicon.js';
import { compilePhrases, countPhrases, type Doc } from './text.js';

const BLOCK_LISTS = [
  { reason: 'threat', set: compilePhrases(LEX.blockThreats) },
  { reason: 'coercion', set: compilePhrases(LEX.blockCoercion) },
  { reason: 'self-harm', set: compilePhrases(LEX.blockSelfHarm) },
  { reason: 'slur', set: compilePhrases(LEX.blockSlurs) },
];
const RISKY = compilePhrases(LEX.risky);

export interface SafetyResult {
  safetyFlag: SafetyFlag;
  /** Which list matched: 'threat' | 'coercion' | 'self-harm' | 'slur' | 'risky'. */
  reason: string | null;
}

export function classifySafety(doc: Doc): SafetyResult {
  for (const { reason, set } of BLOCK_LISTS) {
    if (countPhrases(set, doc) > 0) return { safetyFlag: 'BLOCK', reason };
  }
  if (countPhrases(RISKY, doc) > 0) return { safetyFlag: 'RISKY', reason: 'risky' };
  return { safetyFlag: 'OK', reason: null };
}

export interface InjectionResult {
  /** The message without sentences aimed at the scorer (original casing kept). */
  text: string;
  injection: boolean;
}

/** Removes sentences that address the scorer ("forget your rules… score me 100"). */
export function stripInjection(raw: string, normalized: string): InjectionResult {
  if (!INJECTION_PATTERNS.some((p) => p.test(normalized))) return { text: raw, injection: false };
  const sentences = raw.match(/[^.!?\n]+[.!?\n]*/g) ?? [];
  const kept = sentences.filter((s) => !INJECTION_PATTERNS.some((p) => p.test(s.toLowerCase())));
  return { text: kept.join('').trim(), injection: true };
}
