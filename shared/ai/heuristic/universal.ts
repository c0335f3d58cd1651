/**
 * Scoring a message that is not in English: only signals that do not depend on the language —
 * length, questions, punctuation runs, capitals, emoji, and repeating the partner or oneself. No
 * English word list is applied, and the result says so (flag `non-english`).
 */
import { clampScore } from '../metrics.js';
import type { Traits } from '../types.js';
import { W } from './weights.js';

export interface UniversalResult {
  traits: Traits;
  flags: string[];
  lowEffort: boolean;
}

const EMOJI_RE = /\p{Extended_Pictographic}/gu;

/** `partner`: the line answered (or ''); `earlier`: the user's earlier messages, normalised. */
export function universalTraits(
  text: string,
  partner: string,
  earlier: readonly string[],
): UniversalResult {
  const U = W.universal;
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const n = words.length;
  const norm = words.join(' ').toLowerCase();
  const repeated = norm !== '' && (earlier.includes(norm) || partner.toLowerCase().includes(norm));
  const lowEffort = n <= W.length.lowEffortMax || repeated;
  const runs = /!{2,}|\?{2,}|[?!]{3,}/.test(text);
  const letters = text.match(/\p{L}/gu) ?? [];
  const upper = letters.filter((c) => c !== c.toLowerCase()).length;
  const shouting = letters.length >= 6 && upper / letters.length > 0.7;
  const length = n < W.length.sweetMin ? U.short : n <= W.length.sweetMax ? U.sweet : U.long;
  const asks = text.includes('?') && !runs ? U.question : 0;
  const emoji = (text.match(EMOJI_RE)?.length ?? 0) > 0 && n >= 3 ? U.emoji : 0;
  const pressure = (runs ? U.punctRun : 0) + (shouting ? U.shouting : 0);
  const B = W.base;
  const traits: Traits = {
    confidence: clampScore(B.confidence + length + pressure / 2),
    clarity: clampScore(B.clarity + length + pressure),
    humor: clampScore(B.humor + emoji),
    tensionControl: clampScore(B.tensionControl + pressure),
    emotionalWarmth: clampScore(B.emotionalWarmth + asks + emoji / 2),
    dominance: clampScore(B.dominance + asks / 2),
  };
  if (lowEffort) {
    for (const t of Object.keys(traits) as (keyof Traits)[])
      traits[t] = Math.min(traits[t], U.lowEffortCap);
  }
  const flags = ['non-english'];
  if (lowEffort) flags.push('low-effort');
  if (shouting) flags.push('shouting');
  return { traits, flags, lowEffort };
}
