/** Flags and tags for a message, chosen deterministically; the feedback sentence is ./advice.ts. */
import type { SafetyFlag, Traits } from '../types.js';
import type { ContextFeatures } from './context.js';
import type { Conversation } from './conversation.js';
import type { Features } from './features.js';
import { W } from './weights.js';
import type { TraitResult } from './traits.js';

export interface FeedbackInput {
  f: Features;
  ctx: ContextFeatures;
  conv: Conversation;
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
  // Only on evidence the message shows: a needy phrase or a run of question marks ("??").
  add(f.needy > 0 || f.questionRun, 'needy');
  add(f.pressure > 0 || f.exclaimRun, 'pushy');
  add(x.conv.echo, 'parroting');
  add(x.conv.repeats, 'repetitive');
  add(x.conv.changedSubject && !result.lowEffort, 'off-topic');
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
