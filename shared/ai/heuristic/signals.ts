/**
 * Signals derived once per message from its features and context, shared by the trait functions:
 * low effort, hostility, sourness, flatness, pressure and the voice bands.
 */
import type { ContextFeatures } from './context.js';
import type { Features } from './features.js';
import { W } from './weights.js';

/** Session-level facts about spoken input (voice mode only). */
export interface VoiceContext {
  /** Words per minute, when the duration is known. */
  wpm: number | null;
}

/** Signals derived once and shared by the trait functions. */
export interface Signals {
  ctx: ContextFeatures;
  /** Fillers per 100 words (voice only), else null. */
  fillerRate: number | null;
  /** -1 too slow, 0 comfortable, 1 too fast; null when unknown or not voice. */
  paceDirection: -1 | 0 | 1 | null;
  lowEffort: boolean;
  hostile: boolean;
  /** 0-2: how much put-down the message carries. */
  hostility: number;
  sour: boolean;
  /** Nothing that engages the other person: no question, "you", appreciation, detail, humor or plan. */
  flat: boolean;
  risky: boolean;
  pressured: boolean;
  apologyHeavy: boolean;
  /**
   * The reply is about what the partner said (or there was no line): a question earns warmth as
   * interest only then, since a question that ignores their line is not interest in them.
   */
  relevant: boolean;
  /** -1 poor, 0 neither, 1 good; null when not voice. */
  fluency: -1 | 0 | 1 | null;
  /** 'good' | 'off' | 'far'; null when unknown. */
  pace: 'good' | 'off' | 'far' | null;
}

/**
 * Short, empty, mirrored or stock replies give the other person nothing to work with. An
 * enthusiastic two-word yes to an invitation ("Sounds great!") is short but not low effort.
 */
export function isLowEffort(f: Features, ctx: ContextFeatures): boolean {
  const tiny = f.wordCount <= W.length.lowEffortMax;
  const eagerYes =
    ctx.isQuestion && f.exclamations > 0 && f.decisive + f.positive > 0 && f.contentWords > 0;
  if (tiny && !eagerYes) return true;
  // Four words that answer and hand a question back ("Denver. And you?") are a real turn.
  const turn = f.questionMarks > 0 && f.contentWords >= 1 && f.dismissive === 0;
  const brushOff = f.wordCount <= 4 && !turn && (f.dismissive > 0 || f.contentWords <= 1);
  return brushOff || f.dismissiveWhole || f.mirror || f.contentWords === 0;
}

/** `risky`: the message is borderline (crude or sexual pressure) per the safety lists. */
export function deriveSignals(
  f: Features,
  ctx: ContextFeatures,
  voice: VoiceContext | null,
  risky: boolean,
  relevant = true,
): Signals {
  const V = W.voice;
  const fillerRate = voice && f.wordCount > 0 ? (100 * f.fillers) / f.wordCount : null;
  const wpm = voice?.wpm ?? null;
  const pace = wpm === null ? null : wpm < V.paceMin ? -1 : wpm > V.paceMax ? 1 : 0;
  const far = wpm !== null && (wpm < V.paceMin - V.paceFarOff || wpm > V.paceMax + V.paceFarOff);
  // A brush-off on top of a put-down ("whatever, none of your business") doubles the hostility.
  const brushOff = f.insults + f.directedNegative > 0 && f.dismissive > 0 ? 1 : 0;
  const hostility = Math.min(f.insults + f.directedNegative + brushOff, 2);
  const hostile = hostility > 0;
  return {
    ctx,
    fillerRate,
    paceDirection: pace,
    lowEffort: isLowEffort(f, ctx),
    hostile,
    hostility,
    sour:
      !hostile &&
      f.empathy === 0 &&
      ((f.negative >= 1 && f.negative > f.positive) || (ctx.distress && f.laughter > 0)),
    flat: isFlat(f),
    risky,
    relevant,
    pressured: f.needy + f.pressure > 0 || f.exclaimRun || f.questionRun || f.shouting,
    apologyHeavy: f.apologies >= 2,
    fluency:
      fillerRate === null
        ? null
        : fillerRate < V.fillerRateGood
          ? 1
          : fillerRate > V.fillerRatePoor
            ? -1
            : 0,
    pace: pace === null ? null : far ? 'far' : pace === 0 ? 'good' : 'off',
  };
}

function isFlat(f: Features): boolean {
  const engaging =
    f.questionMarks +
    f.you +
    f.positive +
    f.empathy +
    f.topicOverlap +
    f.reciprocal +
    f.specifics +
    f.proposals +
    f.playful +
    f.laughter +
    f.emoji +
    f.decisive +
    f.concrete;
  return engaging === 0 && !f.callback && !f.invitesStory;
}
