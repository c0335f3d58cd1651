/**
 * The heuristic AiCore provider: deterministic, offline, pure. Each USER message is judged against
 * the AI line before it; session metrics come from the shared aggregation in ../metrics.ts.
 */
import { aggregateSession, labelFor, charismaIndex, wordsPerMinute } from '../metrics.js';
import type { AiCoreProvider, CoreInput, CoreResult, MessageAnalysis } from '../types.js';
import { contextFeatures, NO_CONTEXT, type ContextFeatures } from './context.js';
import { extractFeatures } from './features.js';
import { flagsFor, microFeedbackFor, tagsFor, type FeedbackInput } from './feedback.js';
import { HEURISTIC_VERSION, W } from './lexicon.js';
import { classifySafety, stripInjection } from './safety.js';
import { makeDoc } from './text.js';
import { computeTraits, type VoiceContext } from './traits.js';

/** Scores a session synchronously. Same input, same output; no I/O, clock or randomness. */
export function analyzeHeuristic(input: CoreInput): CoreResult {
  const voice = voiceContext(input);
  const messages: MessageAnalysis[] = [];
  let ctx: ContextFeatures = NO_CONTEXT;
  input.messages.forEach((m, index) => {
    if (m.role === 'AI') ctx = contextFeatures(m.content);
    else if (m.role === 'USER') messages.push(analyzeMessage(m.content, index, ctx, voice));
  });
  return {
    version: HEURISTIC_VERSION,
    provider: 'heuristic',
    messages,
    metrics: aggregateSession(messages, input),
  };
}

export const heuristicProvider: AiCoreProvider = {
  name: 'heuristic',
  version: HEURISTIC_VERSION,
  analyze: (input) => Promise.resolve(analyzeHeuristic(input)),
};

/** Voice pace is a session fact (one duration for all spoken words). */
function voiceContext(input: CoreInput): VoiceContext | null {
  if (input.mode !== 'voice') return null;
  let words = 0;
  for (const m of input.messages) if (m.role === 'USER') words += makeDoc(m.content).tokens.length;
  return { wpm: wordsPerMinute(words, input.durationSec) };
}

function analyzeMessage(
  content: string,
  index: number,
  ctx: ContextFeatures,
  voice: VoiceContext | null,
): MessageAnalysis {
  const doc = makeDoc(content);
  const safety = classifySafety(doc);
  const { text, injection } = stripInjection(content, doc.text);
  const f = extractFeatures(text, ctx, injection ? undefined : doc);
  const empty = f.contentWords === 0 && injection;
  const result = computeTraits(f, ctx, voice, safety.safetyFlag === 'RISKY');
  if (empty) result.traits = { ...W.empty };
  if (safety.safetyFlag === 'BLOCK') result.traits = { ...W.blocked };
  const fb: FeedbackInput = { f, ctx, result, safetyFlag: safety.safetyFlag, injection, empty };
  return {
    index,
    traits: result.traits,
    label: labelFor(charismaIndex(result.traits)),
    flags: flagsFor(fb),
    tags: tagsFor(fb),
    microFeedback: microFeedbackFor(fb),
    safetyFlag: safety.safetyFlag,
    wordCount: doc.tokens.length,
    fillerCount: f.fillers,
  };
}
