/** Flags, tags and the one-sentence micro-feedback for a message, chosen deterministically. */
import type { SafetyFlag, Traits } from '../types.js';
import type { ContextFeatures } from './context.js';
import type { Features } from './features.js';
import { W } from './lexicon.js';
import type { TraitResult } from './traits.js';

export interface FeedbackInput {
  f: Features;
  ctx: ContextFeatures;
  result: TraitResult;
  safetyFlag: SafetyFlag;
  injection: boolean;
  /** Nothing left to score once scorer-directed text was removed. */
  empty: boolean;
}

export function flagsFor(x: FeedbackInput): string[] {
  const { f, result } = x;
  const flags: string[] = [];
  const add = (cond: boolean, flag: string): void => {
    if (cond) flags.push(flag);
  };
  add(x.safetyFlag === 'BLOCK', 'unsafe');
  add(x.safetyFlag === 'RISKY', 'risky');
  add(x.injection, 'injection');
  add(result.lowEffort || x.empty, 'low-effort');
  add(f.hedges >= 2 || (f.hedges >= 1 && f.wordCount <= 6), 'uncertainty');
  add(f.fillers >= 2 || (result.fillerRate ?? 0) > W.voice.fillerRatePoor, 'filler');
  add(f.wordCount > W.length.longMax || f.longestSentence > W.runOnWords, 'overexplaining');
  add(f.needy + f.pressure > 0 || f.exclaimRun || f.questionRun, 'needy');
  add(f.insults + f.directedNegative > 0, 'rude');
  add(f.dismissive > 0 || (f.dismissiveWhole && !x.empty), 'dismissive');
  add(f.apologies >= 2, 'over-apologising');
  add(f.selfDep > 0, 'self-deprecating');
  add(f.shouting, 'shouting');
  add(f.deferring > 0, 'passive');
  return flags;
}

export function tagsFor(x: FeedbackInput): string[] {
  const { f, result } = x;
  const t = result.traits;
  const tags: string[] = [];
  const add = (cond: boolean, tag: string): void => {
    if (cond) tags.push(tag);
  };
  const ok = !result.lowEffort && !x.empty && x.safetyFlag !== 'BLOCK';
  const asking = f.questionMarks > 0 && !f.questionRun && !f.shouting;
  add(ok && asking && f.insults + f.directedNegative === 0, 'curious');
  add(ok && t.humor >= 65, 'playful');
  add(ok && t.confidence >= 75, 'confident');
  add(ok && t.emotionalWarmth >= 70, 'warm');
  add(ok && f.empathy > 0, 'empathetic');
  add(ok && (f.proposals > 0 || t.dominance >= 65), 'leading');
  add(ok && f.specifics >= 2, 'specific');
  add(!ok || lowImpact(t), 'low-impact');
  return tags;
}

function lowImpact(t: Traits): boolean {
  return t.confidence < 45 && t.clarity < 45;
}

/** One short sentence about this message: the most serious problem first, else its best quality. */
export function microFeedbackFor(x: FeedbackInput): string {
  const { f, ctx, result } = x;
  const t = result.traits;
  if (x.safetyFlag === 'BLOCK')
    return 'This crosses a safety line, so it earns nothing; keep it respectful.';
  if (x.empty) return 'Talk to them, not to the scorer: instructions to the app are ignored.';
  if (x.safetyFlag === 'RISKY')
    return 'Too forward too soon; build rapport before anything suggestive.';
  if (f.insults + f.directedNegative > 0)
    return 'That lands as a put-down; curiosity gets you further than a jab.';
  if (f.shouting) return 'All caps reads as shouting; let the words carry the energy.';
  if (f.mirror) return 'Mirroring their line stalls things; open with something specific.';
  if (f.laughter > 0 && f.contentWords < 3)
    return 'Laughing alone adds little; build on what made you laugh.';
  if (result.lowEffort)
    return 'A reply this short gives them nothing to work with; add a detail or a question.';
  if (f.selfDep > 0) return "Don't sell yourself short; share something you enjoy instead.";
  if (f.apologies >= 2) return 'One apology is plenty; over-apologising undercuts you.';
  if (ctx.distress && f.empathy === 0 && f.negative + f.dismissive > 0) {
    return 'They shared something hard; acknowledge it before moving on.';
  }
  if (f.needy + f.pressure > 0 || f.exclaimRun || f.questionRun) {
    return 'Ease off the pressure; calm, unhurried replies come across better.';
  }
  if ((result.fillerRate ?? 0) > W.voice.fillerRatePoor || f.fillers >= 3) {
    return 'Cut the fillers (um, like, you know) so your point lands.';
  }
  if (f.wordCount > W.length.longMax || f.longestSentence > W.runOnWords) {
    return 'Trim it to one clear point; long walls of text lose people.';
  }
  if (f.hedges >= 2 || f.deferring > 0)
    return 'Drop the hedges and say what you want; it reads as more sure.';
  if (f.dismissive > 0 || f.negative >= 2)
    return 'Lead with interest, not criticism; ask about what they shared.';
  if (result.pace === 1)
    return 'Slow down a little; around 120-170 words a minute is easiest to follow.';
  if (result.pace === -1) return 'Pick up the pace a little; long pauses can read as hesitation.';
  if (f.proposals > 0 && f.concrete > 0)
    return 'A concrete plan with a time and place is easy to say yes to.';
  if (f.empathy > 0 && ctx.distress) return 'Nice empathy: you acknowledged how they feel first.';
  if (f.callback || t.humor >= 70) return 'Playful and light; the tease keeps the energy up.';
  if (f.questionMarks > 0 && f.topicOverlap > 0)
    return 'Good follow-up: you picked up on what they said.';
  if (f.reciprocal > 0) return 'Good balance: you shared something and handed the question back.';
  if (f.specifics >= 2) return 'Specific details make this vivid and easy to answer.';
  if (t.humor < 50 && t.emotionalWarmth >= 60)
    return 'Warm and clear; a playful touch would lift it further.';
  return 'Clear enough; a specific detail or a question about them would lift it.';
}
