/**
 * The heuristic AiCore provider: deterministic, offline, pure. Each USER message is read against
 * the AI line before it and the user's earlier messages; session metrics come from the shared
 * aggregation in ../metrics.ts.
 */
import { aggregateSession, labelFor, charismaIndex, wordsPerMinute } from '../metrics.js';
import type { AiCoreProvider, CoreInput, CoreResult, MessageAnalysis } from '../types.js';
import { contextFeatures, NO_CONTEXT, type ContextFeatures } from './context.js';
import { readConversation } from './conversation.js';
import { extractFeatures } from './features.js';
import { microFeedbackFor } from './advice.js';
import { flagsFor, tagsFor, type FeedbackInput } from './feedback.js';
import { detectLanguage } from './language.js';
import { HEURISTIC_VERSION } from './lexicon.js';
import { classifySafety, stripInjection } from './safety.js';
import { makeDoc } from './text.js';
import { computeTraits, type VoiceContext } from './traits.js';
import { universalTraits } from './universal.js';
import { readUtterance } from './utterance.js';
import { W } from './weights.js';

/** Scores a session synchronously. Same input, same output; no I/O, clock or randomness. */
export function analyzeHeuristic(input: CoreInput): CoreResult {
  const voice = voiceContext(input);
  const messages: MessageAnalysis[] = [];
  let ctx: ContextFeatures = NO_CONTEXT;
  let partner = '';
  const earlier: string[] = [];
  input.messages.forEach((m, index) => {
    if (m.role === 'AI') {
      ctx = contextFeatures(m.content);
      partner = m.content;
    } else if (m.role === 'USER') {
      const { analysis, key } = analyzeMessage(m.content, index, ctx, partner, earlier, voice);
      messages.push(analysis);
      earlier.push(key);
    }
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
  partner: string,
  earlier: readonly string[],
  voice: VoiceContext | null,
): { analysis: MessageAnalysis; key: string } {
  const doc = makeDoc(content);
  const safety = classifySafety(doc);
  const { text, injection } = stripInjection(content, doc.text);
  const utt = readUtterance(injection ? makeDoc(text).text : doc.text);
  const key = utt.words.join(' ');
  // The raw text: normalising would strip the accents that tell a language apart.
  const language = detectLanguage(content, utt.tokens);
  const base = { index, safetyFlag: safety.safetyFlag, wordCount: doc.tokens.length, language };
  if (language !== 'en') {
    const u = universalTraits(text, partner, earlier);
    const traits = safety.safetyFlag === 'BLOCK' ? { ...W.blocked } : u.traits;
    const analysis: MessageAnalysis = {
      ...base,
      traits,
      label: labelFor(charismaIndex(traits)),
      flags: safety.safetyFlag === 'BLOCK' ? ['unsafe', ...u.flags] : u.flags,
      tags: u.lowEffort ? ['low-impact'] : [],
      microFeedback:
        'Scored on language-independent signals only (length, questions, punctuation); detailed coaching is in English.',
      fillerCount: 0,
    };
    return { analysis, key };
  }
  const f = extractFeatures(text, utt, ctx, injection ? undefined : doc);
  const conv = readConversation(utt, ctx, earlier);
  const empty = f.contentWords === 0 && injection;
  const result = computeTraits(f, ctx, conv, voice, safety.safetyFlag === 'RISKY');
  if (empty) result.traits = { ...W.empty };
  if (safety.safetyFlag === 'BLOCK') result.traits = { ...W.blocked };
  const fb: FeedbackInput = {
    f,
    ctx,
    conv,
    result,
    safetyFlag: safety.safetyFlag,
    injection,
    empty,
  };
  const analysis: MessageAnalysis = {
    ...base,
    traits: result.traits,
    label: labelFor(charismaIndex(result.traits)),
    flags: flagsFor(fb),
    tags: tagsFor(fb),
    microFeedback: microFeedbackFor(fb),
    fillerCount: f.fillers,
  };
  return { analysis, key };
}
