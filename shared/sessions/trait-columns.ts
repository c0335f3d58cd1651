import type { PracticeSession } from '../db.js';

type TraitColumns = Pick<
  PracticeSession,
  | 'confidenceScore'
  | 'clarityScore'
  | 'humorScore'
  | 'tensionScore'
  | 'emotionalWarmth'
  | 'dominanceScore'
>;

/** A session's stored trait columns under the trait names AiCore uses (apply.ts writes them). */
export function traitsFromColumns(s: TraitColumns) {
  return {
    confidence: s.confidenceScore,
    clarity: s.clarityScore,
    humor: s.humorScore,
    tensionControl: s.tensionScore,
    emotionalWarmth: s.emotionalWarmth,
    dominance: s.dominanceScore,
  };
}
