/** Turns extracted features into the six traits, using the weights in lexicon.ts (W). */
import { clampScore } from '../metrics.js';
import type { Traits } from '../types.js';
import type { ContextFeatures } from './context.js';
import { engagementOf } from './engagement.js';
import { SIMILARITY_NEUTRAL, type Conversation } from './conversation.js';
import type { Features } from './features.js';
import { W } from './weights.js';
import { deriveSignals, type Signals, type VoiceContext } from './signals.js';

export type { VoiceContext } from './signals.js';
export { isLowEffort } from './signals.js';

export interface TraitResult {
  traits: Traits;
  /** Points of engagement with the conversation (./engagement.ts). */
  engagement: number;
  lowEffort: boolean;
  /** Fillers per 100 words (voice only), else null. */
  fillerRate: number | null;
  /** -1 too slow, 0 comfortable, 1 too fast; null when unknown or not voice. */
  pace: -1 | 0 | 1 | null;
}

const min = Math.min;

/**
 * Above SOFT_CEILING a trait rises at a third of the rate, so that strong replies still differ
 * (a clamp at 100 would tie them) and 100 stays reachable only for the exceptional.
 */
const SOFT_CEILING = 85;
const SOFT_RATE = 1 / 3;
function bound(v: number): number {
  return clampScore(v > SOFT_CEILING ? SOFT_CEILING + (v - SOFT_CEILING) * SOFT_RATE : v);
}

/**
 * Computes the six traits; `risky` marks borderline content per the safety lists, `conv` is the
 * reply read against the conversation (./conversation.ts).
 */
export function computeTraits(
  f: Features,
  ctx: ContextFeatures,
  conv: Conversation,
  voice: VoiceContext | null,
  risky: boolean,
): TraitResult {
  const relevant =
    !conv.hasContext || conv.sharedTopics > 0 || conv.similarity >= SIMILARITY_NEUTRAL;
  const s = deriveSignals(f, ctx, voice, risky, relevant);
  // How well the reply engages with the conversation, in points, shared out over the traits it
  // shows in: being on point is clarity, engaging with them warmth, owning a story confidence.
  const noCredit = s.lowEffort || s.hostile || s.risky || s.pressured;
  // Each filler or hedge takes a fifth of the credit: a relevant reply buried in "um, like,
  // i guess" is not a clear one.
  const fluency = Math.max(0, 1 - W.engagementPerDisfluency * (f.fillers + f.hedges));
  const raw = engagementOf(conv);
  const e = noCredit ? Math.min(0, raw) : raw > 0 ? raw * fluency : raw;
  const E = W.engagementShare;
  const capped = (v: number, cap: number): number => (s.lowEffort ? min(v, cap) : v);
  return {
    traits: {
      // Spoken delivery (fillers per 100 words, pace) applies after the soft ceiling, so that it
      // separates even the strongest voice replies.
      confidence: clampScore(
        bound(capped(confidenceOf(f, s) + E.confidence * e, W.confidence.lowEffortCap)) +
          voiceDelta(s, W.confidence) +
          paceDelta(s, W.confidence),
      ),
      clarity: clampScore(
        bound(capped(clarityOf(f, s) + E.clarity * e, W.clarity.lowEffortCap)) +
          voiceDelta(s, W.clarity) +
          paceDelta(s, W.clarity),
      ),
      humor: clampScore(humorOf(f, s)),
      tensionControl: clampScore(tensionOf(f, s)),
      emotionalWarmth: bound(capped(warmthOf(f, s) + E.emotionalWarmth * e, W.warmth.lowEffortCap)),
      dominance: clampScore(dominanceOf(f, s)),
    },
    engagement: e,
    lowEffort: s.lowEffort,
    fillerRate: s.fillerRate,
    pace: s.paceDirection,
  };
}

function voiceDelta(s: Signals, w: { voiceFluent: number; voiceDisfluent: number }): number {
  return s.fluency === 1 ? w.voiceFluent : s.fluency === -1 ? w.voiceDisfluent : 0;
}

function paceDelta(
  s: Signals,
  w: { paceGood: number; paceOff: number; paceFarOff: number },
): number {
  if (s.pace === null) return 0;
  return s.pace === 'good' ? w.paceGood : s.pace === 'far' ? w.paceFarOff : w.paceOff;
}

function confidenceOf(f: Features, s: Signals): number {
  const C = W.confidence;
  let v: number = W.base.confidence;
  v += C.hedge * min(f.hedges, C.hedgeCap) + C.apology * min(f.apologies, C.apologyCap);
  v += C.permission * min(f.permission, 2) + C.selfDep * min(f.selfDep, 2);
  v += C.filler * min(f.fillers, C.fillerCap) + C.deferring * min(f.deferring, C.deferringCap);
  v += C.concrete * min(f.concrete, C.concreteCap) + C.decisive * min(f.decisive, C.decisiveCap);
  v += C.commitment * min(f.commitments, C.commitmentCap);
  if (s.apologyHeavy) v += C.overApology;
  if (f.proposals > 0) v += C.proposal;
  const plain = f.hedges === 0 && f.apologies === 0 && !s.sour && !s.hostile;
  if (plain && f.wordCount >= 5) v += C.directStatement;
  v += C.needy * min(f.needy, 3);
  if (f.exclaimRun || f.questionRun) v += C.punctRun;
  if (f.shouting) v += C.shouting;
  v += C.hostile * s.hostility;
  if (s.flat) v += C.flat;
  return s.lowEffort ? min(v, C.lowEffortCap) : v;
}

function clarityOf(f: Features, s: Signals): number {
  const L = W.clarity;
  const B = W.length;
  let v: number = W.base.clarity + lengthDelta(f.wordCount);
  v += L.specific * min(f.specifics, L.specificCap) + L.filler * min(f.fillers, L.fillerCap);
  v += L.hedge * min(f.hedges, L.hedgeCap) + L.profanity * min(f.profanity, 2);
  v += L.hostile * s.hostility;
  if (f.shouting) v += L.shouting;
  if (f.exclaimRun || f.questionRun) v += L.punctRun;
  if (f.questionMarks >= 3) v += L.questionBarrage;
  if (f.longestSentence > W.runOnWords) v += L.runOn;
  if (f.sentences <= 3 && f.wordCount >= B.sweetMin && f.wordCount <= B.sweetMax) v += L.focused;
  return s.lowEffort ? min(v, L.lowEffortCap) : v;
}

function humorOf(f: Features, s: Signals): number {
  const H = W.humor;
  // Laughter plus a few words of one's own is a joke shared, not forced laughter.
  const contentful = f.wordCount - f.laughter >= 4;
  let v: number = W.base.humor;
  if (f.laughter > 0 && contentful) v += H.laughWithContent;
  if (f.emoji > 0 && contentful) v += H.emojiWithContent;
  v += H.playful * min(f.playful, H.playfulCap);
  if (f.callback) v += H.callback;
  if (f.exclamations > 0 && !f.exclaimRun && f.positive > 0) v += H.enthusiasm;
  const gloating = s.ctx.distress && f.laughter > 0 && f.empathy === 0; // laughing at bad news
  if ((f.laughter > 0 || f.emoji > 0) && (s.hostile || s.sour || gloating)) v += H.meanJoke;
  v += H.hostile * s.hostility;
  if (s.flat) v += H.flat;
  if (s.sour) v += H.sour;
  v += H.negative * min(f.negative, H.negativeCap) + H.profanity * min(f.profanity, 2);
  if (f.laughter > 0 && !contentful) v = min(v, H.laughterOnly);
  return s.lowEffort ? min(v, H.lowEffortCap) : v;
}

function tensionOf(f: Features, s: Signals): number {
  const T = W.tension;
  let v: number = W.base.tensionControl;
  v += T.needy * min(f.needy, T.needyCap) + T.pressure * min(f.pressure, T.pressureCap);
  v += T.apology * min(f.apologies, 3) + T.hedge * min(f.hedges, T.hedgeCap);
  if (f.exclaimRun || f.questionRun) v += T.punctRun;
  if (f.questionMarks >= 3) v += T.questionBarrage;
  if (f.shouting) v += T.shouting;
  if (s.apologyHeavy) v += T.overApology;
  if (f.selfDep > 0) v += T.selfDep;
  v += T.hostile * s.hostility;
  if (f.dismissive > 0) v += T.dismissive;
  if (s.risky) v += T.risky;
  if (f.calm > 0) v += T.calm;
  const handlesTease = f.playful > 0 || f.callback || f.decisive > 0;
  if (s.ctx.tease && handlesTease && f.apologies === 0) v += T.teaseHandled;
  const steady = !s.pressured && !s.hostile && !s.sour && f.questionMarks <= 2;
  if (steady && f.wordCount >= 5 && f.wordCount <= 45) v += T.relaxed;
  const sure = f.proposals + f.decisive + f.commitments > 0 && f.hedges === 0;
  if (steady && sure && f.apologies === 0) v += T.easyConfidence;
  return s.lowEffort ? min(v, T.lowEffortCap) : v;
}

function warmthOf(f: Features, s: Signals): number {
  const M = W.warmth;
  // Questions and "you" asked under pressure are demands, not interest.
  const friendly = !s.hostile && !s.pressured;
  let v: number = W.base.emotionalWarmth;
  if (!f.dismissiveWhole) v += M.positive * min(f.positive, M.positiveCap);
  v += M.empathy * min(f.empathy, M.empathyCap);
  if (friendly) v += M.compliment * min(f.compliments, M.complimentCap);
  if (friendly) v += M.you * min(f.you, M.youCap);
  const asks = friendly && !f.questionRun && (f.questionMarks > 0 || f.invitesStory);
  const aboutThem = f.you > 0 || f.reciprocal > 0 || f.invitesStory;
  if (asks && aboutThem && s.relevant) v += M.questionAboutThem;
  if (asks && f.topicOverlap > 0) v += M.followUp;
  else if (friendly && f.topicOverlap > 0) v += M.acknowledge;
  if (friendly && f.reciprocal > 0) v += M.reciprocal;
  if (s.ctx.distress && f.empathy > 0) v += M.distressEmpathy;
  else if (s.ctx.distress && f.negative + f.dismissive + f.directedNegative > 0) {
    v += M.distressIgnored;
  }
  const upbeat = f.positive > 0 && f.negative + f.directedNegative === 0;
  if (s.ctx.goodNews && upbeat) v += M.goodNewsCelebrated;
  else if (s.ctx.goodNews && (s.sour || s.hostile)) v += M.goodNewsSpoiled;
  v += M.insult * min(f.insults, M.insultCap);
  v += M.directedNegative * min(f.directedNegative, M.directedCap);
  v += M.negative * min(f.negative, M.negativeCap);
  v += M.profanity * min(f.profanity, M.profanityCap);
  if (f.dismissive > 0 || f.dismissiveWhole) v += M.dismissive;
  if (s.sour) v += M.sour;
  if (s.flat) v += M.flat;
  if (f.shouting) v += M.shouting;
  if (f.mirror) v += M.mirror;
  if (s.risky) v += M.risky;
  if (f.exclamations === 1 && !f.exclaimRun && upbeat && friendly) v += M.warmExclaim;
  return s.lowEffort ? min(v, M.lowEffortCap) : v;
}

function dominanceOf(f: Features, s: Signals): number {
  const D = W.dominance;
  let v: number = W.base.dominance;
  if (f.proposals > 0) v += D.proposal;
  if (f.commitments > 0) v += D.commitment;
  if (f.imperative) v += D.imperative;
  if (f.openQuestion) v += D.openQuestion;
  if (f.selfDep > 0) v += D.selfDep;
  if (s.lowEffort) v += D.lowEffort;
  v += D.concrete * min(f.concrete, D.concreteCap) + D.deferring * min(f.deferring, 2);
  v += D.hedge * min(f.hedges, D.hedgeCap) + D.permission * min(f.permission, 2);
  v += D.apology * min(f.apologies, 3);
  return v;
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
