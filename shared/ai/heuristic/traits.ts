/** Turns extracted features into the six traits, using the weights in lexicon.ts. */
import { clampScore } from '../metrics.js';
import type { Traits } from '../types.js';
import type { ContextFeatures, Features } from './features.js';
import { W } from './lexicon.js';

/** Session-level facts about spoken input (voice mode only). */
export interface VoiceContext {
  /** Words per minute, when the duration is known. */
  wpm: number | null;
}

export interface TraitResult {
  traits: Traits;
  lowEffort: boolean;
  /** Fillers per 100 words (voice only), else null. */
  fillerRate: number | null;
  /** -1 too slow, 0 comfortable, 1 too fast; null when unknown or not voice. */
  pace: -1 | 0 | 1 | null;
}

const min = Math.min;

/** Short, empty, mirrored or laughter-only replies give the other person nothing to work with. */
export function isLowEffort(f: Features): boolean {
  return (
    f.wordCount <= W.length.lowEffortMax || f.dismissiveWhole || f.mirror || f.contentWords === 0
  );
}

/** `risky`: the message is borderline (crude or sexual pressure) per the safety lists. */
export function computeTraits(
  f: Features,
  ctx: ContextFeatures,
  voice: VoiceContext | null,
  risky: boolean,
): TraitResult {
  const lowEffort = isLowEffort(f);
  const fillerRate = voice && f.wordCount > 0 ? (100 * f.fillers) / f.wordCount : null;
  const pace =
    voice?.wpm == null
      ? null
      : voice.wpm < W.voice.paceMin
        ? -1
        : voice.wpm > W.voice.paceMax
          ? 1
          : 0;
  const paceFar =
    voice?.wpm != null &&
    (voice.wpm < W.voice.paceMin - W.voice.paceFarOff ||
      voice.wpm > W.voice.paceMax + W.voice.paceFarOff);
  const apologyHeavy = f.apologies >= 2;
  const hostile = f.insults > 0 || f.directedNegative > 0;

  // Confidence
  const C = W.confidence;
  let confidence: number = W.base.confidence;
  confidence += C.hedge * min(f.hedges, C.hedgeCap) + C.apology * min(f.apologies, C.apologyCap);
  if (apologyHeavy) confidence += C.overApology;
  confidence += C.permission * min(f.permission, 2) + C.selfDep * min(f.selfDep, 2);
  confidence +=
    C.filler * min(f.fillers, C.fillerCap) + C.deferring * min(f.deferring, C.deferringCap);
  if (f.proposals > 0) confidence += C.proposal;
  confidence +=
    C.concrete * min(f.concrete, C.concreteCap) +
    C.commitment * min(f.commitments, C.commitmentCap);
  confidence += C.decisive * min(f.decisive, C.decisiveCap);
  if (f.hedges === 0 && f.apologies === 0 && f.wordCount >= 5) confidence += C.directStatement;
  if (f.needy > 0) confidence += C.needy;
  if (f.shouting) confidence += C.shouting;
  if (fillerRate !== null)
    confidence +=
      fillerRate < W.voice.fillerRateGood
        ? C.voiceFluent
        : fillerRate > W.voice.fillerRatePoor
          ? C.voiceDisfluent
          : 0;
  if (pace !== null) confidence += paceFar ? C.paceFarOff : pace === 0 ? C.paceGood : C.paceOff;
  if (lowEffort) confidence = min(confidence, C.lowEffortCap);

  // Clarity
  const L = W.clarity;
  let clarity: number = W.base.clarity + lengthDelta(f.wordCount);
  clarity += L.specific * min(f.specifics, L.specificCap) + L.filler * min(f.fillers, L.fillerCap);
  clarity += L.hedge * min(f.hedges, L.hedgeCap) + L.profanity * min(f.profanity, 2);
  if (f.shouting) clarity += L.shouting;
  if (f.exclaimRun || f.questionRun) clarity += L.punctRun;
  if (f.questionMarks >= 3) clarity += L.questionBarrage;
  if (f.longestSentence > W.runOnWords) clarity += L.runOn;
  if (f.sentences <= 3 && f.wordCount >= W.length.sweetMin && f.wordCount <= W.length.sweetMax)
    clarity += L.focused;
  if (fillerRate !== null)
    clarity +=
      fillerRate < W.voice.fillerRateGood
        ? L.voiceFluent
        : fillerRate > W.voice.fillerRatePoor
          ? L.voiceDisfluent
          : 0;
  if (pace !== null) clarity += paceFar ? L.paceFarOff : pace === 0 ? L.paceGood : L.paceOff;
  if (lowEffort) clarity = min(clarity, L.lowEffortCap);

  // Humor
  const H = W.humor;
  const contentful = f.contentWords >= 3;
  let humor: number = W.base.humor;
  if (f.laughter > 0 && contentful) humor += H.laughWithContent;
  if (f.emoji > 0 && contentful) humor += H.emojiWithContent;
  humor +=
    H.playful * min(f.playful, H.playfulCap) +
    H.exaggeration * min(f.exaggeration, H.exaggerationCap);
  if (f.callback) humor += H.callback;
  if ((f.laughter > 0 || f.emoji > 0) && hostile) humor += H.meanJoke;
  humor += H.negative * min(f.negative, H.negativeCap) + H.profanity * min(f.profanity, 2);
  if (f.laughter > 0 && !contentful) humor = min(humor, H.laughterOnly);
  if (lowEffort) humor = min(humor, H.lowEffortCap);

  // Tension control
  const T = W.tension;
  let tension: number = W.base.tensionControl;
  tension += T.needy * min(f.needy, T.needyCap) + T.pressure * min(f.pressure, T.pressureCap);
  if (f.exclaimRun || f.questionRun) tension += T.punctRun;
  if (f.questionMarks >= 3) tension += T.questionBarrage;
  if (f.shouting) tension += T.shouting;
  tension += T.apology * min(f.apologies, 3) + (apologyHeavy ? T.overApology : 0);
  if (f.selfDep > 0) tension += T.selfDep;
  if (hostile) tension += T.insult;
  tension += T.hedge * min(f.hedges, T.hedgeCap);
  if (f.calm > 0) tension += T.calm;
  if (ctx.tease && (f.playful > 0 || f.callback || f.decisive > 0) && f.apologies === 0)
    tension += T.teaseHandled;
  const pressured = f.needy + f.pressure > 0 || f.exclaimRun || f.questionRun || f.shouting;
  if (!pressured && !hostile && f.wordCount >= 5 && f.wordCount <= 45 && f.questionMarks <= 2)
    tension += T.relaxed;
  if (risky) tension += T.risky;
  if (lowEffort) tension = min(tension, T.lowEffortCap);

  // Emotional warmth
  const M = W.warmth;
  let warmth: number = W.base.emotionalWarmth;
  if (!f.dismissiveWhole) warmth += M.positive * min(f.positive, M.positiveCap);
  warmth += M.empathy * min(f.empathy, M.empathyCap);
  if (!hostile) warmth += M.you * min(f.you, M.youCap);
  const asks = f.questionMarks > 0 && !hostile;
  if (asks && (f.you > 0 || f.reciprocal > 0)) warmth += M.questionAboutThem;
  if (asks && f.topicOverlap > 0) warmth += M.followUp;
  else if (f.topicOverlap > 0 && !hostile) warmth += M.acknowledge;
  if (f.reciprocal > 0 && !hostile) warmth += M.reciprocal;
  if (ctx.distress) {
    if (f.empathy > 0) warmth += M.distressEmpathy;
    else if (f.negative + f.dismissive + f.directedNegative > 0) warmth += M.distressIgnored;
  }
  if (ctx.goodNews && f.positive > 0 && f.negative + f.directedNegative === 0)
    warmth += M.goodNewsCelebrated;
  warmth +=
    M.insult * min(f.insults, M.insultCap) +
    M.directedNegative * min(f.directedNegative, M.directedCap);
  if (f.dismissive > 0 || f.dismissiveWhole) warmth += M.dismissive;
  warmth +=
    M.negative * min(f.negative, M.negativeCap) + M.profanity * min(f.profanity, M.profanityCap);
  if (f.shouting) warmth += M.shouting;
  if (f.mirror) warmth += M.mirror;
  if (risky) warmth += M.risky;
  if (f.exclamations === 1 && !f.exclaimRun && f.positive > 0 && !hostile) warmth += M.warmExclaim;
  if (lowEffort) warmth = min(warmth, M.lowEffortCap);

  // Dominance
  const D = W.dominance;
  let dominance: number = W.base.dominance;
  if (f.proposals > 0) dominance += D.proposal;
  dominance += D.concrete * min(f.concrete, D.concreteCap) + (f.commitments > 0 ? D.commitment : 0);
  if (f.imperative) dominance += D.imperative;
  if (f.openQuestion) dominance += D.openQuestion;
  dominance += D.deferring * min(f.deferring, 2) + D.hedge * min(f.hedges, D.hedgeCap);
  dominance += D.permission * min(f.permission, 2) + D.apology * min(f.apologies, 3);
  if (f.selfDep > 0) dominance += D.selfDep;
  if (lowEffort) dominance += D.lowEffort;

  return {
    traits: {
      confidence: clampScore(confidence),
      clarity: clampScore(clarity),
      humor: clampScore(humor),
      tensionControl: clampScore(tension),
      emotionalWarmth: clampScore(warmth),
      dominance: clampScore(dominance),
    },
    lowEffort,
    fillerRate,
    pace,
  };
}

function lengthDelta(words: number): number {
  const B = W.length;
  const D = W.lengthDelta;
  if (words <= B.shortMax) return D.short;
  if (words < B.sweetMin) return D.mid;
  if (words <= B.sweetMax) return D.sweet;
  if (words <= B.longMax) return D.long;
  return words <= B.wallMax ? D.wall : D.hugeWall;
}
