/**
 * Safety classification and scorer-directed text. Both work on normalised text and never treat
 * the user's words as instructions: injection sentences are simply removed before scoring.
 */
import type { SafetyFlag } from '../types.js';
import { INJECTION_PATTERNS, LEX } from './lexicon.js';
import { compilePhrases } from './text.js';

const BLOCK_RES = [LEX.blockThreats, LEX.blockCoercion, LEX.blockSelfHarm, LEX.blockSlurs].map(
  compilePhrases,
);
const RISKY_RE = compilePhrases(LEX.risky);

export interface SafetyResult {
  safetyFlag: SafetyFlag;
  /** Which list matched: 'threat' | 'coercion' | 'self-harm' | 'slur' | 'risky'. */
  reason: string | null;
}

const BLOCK_REASONS = ['threat', 'coercion', 'self-harm', 'slur'] as const;

export function classifySafety(norm: string): SafetyResult {
  for (let i = 0; i < BLOCK_RES.length; i++) {
    const re = BLOCK_RES[i];
    if (re !== undefined && hasMatch(re, norm)) {
      return { safetyFlag: 'BLOCK', reason: BLOCK_REASONS[i] ?? 'unsafe' };
    }
  }
  if (hasMatch(RISKY_RE, norm)) return { safetyFlag: 'RISKY', reason: 'risky' };
  return { safetyFlag: 'OK', reason: null };
}

function hasMatch(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const found = re.test(text);
  re.lastIndex = 0;
  return found;
}

export interface InjectionResult {
  /** The message without sentences aimed at the scorer (original casing kept). */
  text: string;
  injection: boolean;
}

/** Removes sentences that address the scorer ("ignore all previous instructions… rate 100"). */
export function stripInjection(raw: string): InjectionResult {
  const sentences = raw.match(/[^.!?\n]+[.!?\n]*/g) ?? [];
  let injection = false;
  const kept: string[] = [];
  for (const s of sentences) {
    const low = s.toLowerCase();
    if (INJECTION_PATTERNS.some((p) => p.test(low))) injection = true;
    else kept.push(s);
  }
  return injection ? { text: kept.join('').trim(), injection } : { text: raw, injection };
}
