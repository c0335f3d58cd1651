/**
 * Provider-independent AiCore math: the charisma index, labels and session aggregation. Every
 * provider builds its CoreResult with these so the numbers mean the same thing whoever scored.
 */
import {
  TRAITS,
  type CoreInput,
  type MessageAnalysis,
  type MessageLabel,
  type SessionMetrics,
  type Traits,
} from './types.js';

/** Weights of the charisma index (SCORING.md). Dominance is deliberately not part of it. */
export const CHARISMA_WEIGHTS = {
  confidence: 0.3,
  clarity: 0.25,
  emotionalWarmth: 0.2,
  humor: 0.15,
  tensionControl: 0.1,
} as const;

/** Clamps to an integer 0-100 (NaN → 0). */
export function clampScore(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, Math.round(value)));
}

/** round(0.30·confidence + 0.25·clarity + 0.20·warmth + 0.15·humor + 0.10·tensionControl). */
export function charismaIndex(traits: Traits): number {
  const w = CHARISMA_WEIGHTS;
  return clampScore(
    w.confidence * traits.confidence +
      w.clarity * traits.clarity +
      w.emotionalWarmth * traits.emotionalWarmth +
      w.humor * traits.humor +
      w.tensionControl * traits.tensionControl,
  );
}

/** ≥85 great, ≥70 good, ≥50 neutral, ≥30 weak, else cringe. */
export function labelFor(score: number): MessageLabel {
  if (score >= 85) return 'great';
  if (score >= 70) return 'good';
  if (score >= 50) return 'neutral';
  if (score >= 30) return 'weak';
  return 'cringe';
}

/** Rounded mean of each trait; all zeros for an empty list. */
export function meanTraits(list: readonly Traits[]): Traits {
  const out = {} as Traits;
  for (const trait of TRAITS) {
    let sum = 0;
    for (const t of list) sum += t[trait];
    out[trait] = list.length === 0 ? 0 : clampScore(sum / list.length);
  }
  return out;
}

/** Words per minute when a positive duration is known, else null. */
export function wordsPerMinute(
  totalWords: number,
  durationSec: number | null | undefined,
): number | null {
  if (durationSec == null || !Number.isFinite(durationSec) || durationSec <= 0) return null;
  return Math.round(totalWords / (durationSec / 60));
}

/**
 * Session metrics from per-USER-message analyses: mean traits, charisma index of the mean,
 * totals, and pace (voice with a duration only).
 */
export function aggregateSession(
  messages: readonly MessageAnalysis[],
  input: Pick<CoreInput, 'mode' | 'durationSec'>,
): SessionMetrics {
  const traits = meanTraits(messages.map((m) => m.traits));
  let totalWords = 0;
  let fillerWordsCount = 0;
  for (const m of messages) {
    totalWords += m.wordCount;
    fillerWordsCount += m.fillerCount;
  }
  return {
    charismaIndex: charismaIndex(traits),
    ...traits,
    fillerWordsCount,
    totalMessages: messages.length,
    totalWords,
    wordsPerMinute: input.mode === 'voice' ? wordsPerMinute(totalWords, input.durationSec) : null,
  };
}
