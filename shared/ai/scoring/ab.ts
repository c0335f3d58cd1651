/** A/B comparison: two candidate replies to the same prompt, scored independently. */
import type { AiCoreProvider, CoreInput, CoreResult, ScoringContext } from '../types.js';
import { messageScore } from './session.js';

export interface AbInput {
  /** The line both options answer (the persona's), or null. */
  prompt: string | null;
  optionA: string;
  optionB: string;
}

export interface AbComparison {
  a: CoreResult;
  b: CoreResult;
  scoreA: number;
  scoreB: number;
  /** null on a tie. */
  winner: 'A' | 'B' | null;
  /** The winning option's result; option A's on a tie (its rewards are granted). */
  winning: CoreResult;
}

/** A one-USER-message session with the prompt as the preceding AI line. */
export function abOptionInput(
  prompt: string | null,
  option: string,
  context: ScoringContext | null = null,
): CoreInput {
  const messages: CoreInput['messages'] = [];
  if (prompt !== null && prompt.trim() !== '') messages.push({ role: 'AI', content: prompt });
  messages.push({ role: 'USER', content: option });
  return { mode: 'ab', messages, context };
}

/**
 * Scores each option on its own, in the same context, so neither position nor the other option
 * can influence a score. The per-option score is the AiScoring message score.
 */
export async function compareAb(
  provider: AiCoreProvider,
  input: AbInput,
  context: ScoringContext | null = null,
): Promise<AbComparison> {
  const [a, b] = await Promise.all([
    provider.analyze(abOptionInput(input.prompt, input.optionA, context)),
    provider.analyze(abOptionInput(input.prompt, input.optionB, context)),
  ]);
  const scoreA = firstScore(a);
  const scoreB = firstScore(b);
  const winner = scoreA > scoreB ? 'A' : scoreB > scoreA ? 'B' : null;
  return { a, b, scoreA, scoreB, winner, winning: winner === 'B' ? b : a };
}

function firstScore(core: CoreResult): number {
  const m = core.messages[0];
  return m === undefined ? 0 : messageScore(m);
}
