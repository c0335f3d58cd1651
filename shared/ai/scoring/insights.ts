/** Read-model helpers for the result and dashboard: insights, social tier, trait trends. */
import { TRAITS, type CoreResult, type Trait } from '../types.js';
import type { SessionScoring } from './session.js';

export interface TraitScore {
  trait: Trait;
  score: number;
}

export interface MessageRef {
  index: number;
  score: number;
}

export interface SessionInsights {
  /** Top 2 session traits, highest first (ties: TRAITS order). */
  strongestTraits: TraitScore[];
  /** Bottom 2 session traits, lowest first (ties: TRAITS order). */
  weakestTraits: TraitScore[];
  /** Up to 3 best messages, best first (ties: earlier first). May overlap worstMessages. */
  topMessages: MessageRef[];
  /** Up to 3 worst messages, worst first (ties: earlier first). */
  worstMessages: MessageRef[];
  /** Distinct message flags, in order of first appearance. */
  flags: string[];
}

export function buildInsights(core: CoreResult, scoring: SessionScoring): SessionInsights {
  const traits = TRAITS.map((trait, order) => ({ trait, score: core.metrics[trait], order }));
  const strongest = [...traits].sort((x, y) => y.score - x.score || x.order - y.order);
  const weakest = [...traits].sort((x, y) => x.score - y.score || x.order - y.order);
  const refs = scoring.messages.map((m) => ({ index: m.index, score: m.score }));
  const best = [...refs].sort((x, y) => y.score - x.score || x.index - y.index);
  const worst = [...refs].sort((x, y) => x.score - y.score || x.index - y.index);
  const flags = [...new Set(core.messages.flatMap((m) => m.flags))];
  const strip = ({ trait, score }: TraitScore): TraitScore => ({ trait, score });
  return {
    strongestTraits: strongest.slice(0, 2).map(strip),
    weakestTraits: weakest.slice(0, 2).map(strip),
    topMessages: best.slice(0, 3),
    worstMessages: worst.slice(0, 3),
    flags,
  };
}

export type SocialTier =
  'Beginner' | 'Improving' | 'Competent' | 'Skilled' | 'Strong' | 'Elite' | 'Apex';

/** <40 Beginner, <55 Improving, <70 Competent, <80 Skilled, <90 Strong, <97 Elite, else Apex. */
export function socialTier(score: number | null): SocialTier | null {
  if (score === null || !Number.isFinite(score)) return null;
  if (score < 40) return 'Beginner';
  if (score < 55) return 'Improving';
  if (score < 70) return 'Competent';
  if (score < 80) return 'Skilled';
  if (score < 90) return 'Strong';
  if (score < 97) return 'Elite';
  return 'Apex';
}

/** A change of at least this many points between oldest and newest counts as a trend. */
export const TREND_THRESHOLD = 10;
/** How many of the latest sessions are compared. */
export const TREND_WINDOW = 5;

export type TraitMetrics = Partial<Record<Trait, number | null>>;

export interface TraitTrends {
  improvingTraits: Trait[];
  decliningTraits: Trait[];
}

/**
 * Compares the newest and the oldest of the last 5 scored sessions per trait (input newest
 * first); ≥ +10 improving, ≤ -10 declining. Fewer than 2 sessions → no trends.
 */
export function traitTrends(sessionsNewestFirst: readonly TraitMetrics[]): TraitTrends {
  const window = sessionsNewestFirst.slice(0, TREND_WINDOW);
  const newest = window[0];
  const oldest = window[window.length - 1];
  const out: TraitTrends = { improvingTraits: [], decliningTraits: [] };
  if (window.length < 2 || newest === undefined || oldest === undefined) return out;
  for (const trait of TRAITS) {
    const a = newest[trait];
    const b = oldest[trait];
    if (a == null || b == null) continue;
    if (a - b >= TREND_THRESHOLD) out.improvingTraits.push(trait);
    else if (b - a >= TREND_THRESHOLD) out.decliningTraits.push(trait);
  }
  return out;
}
