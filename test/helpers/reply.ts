import { analyzeHeuristic } from '../../shared/ai/heuristic/provider.js';
import { messageScore } from '../../shared/ai/scoring/index.js';
import type { CoreInput, PracticeMode } from '../../shared/ai/types.js';

/** Analyses one reply to one persona line with the heuristic provider. */
export function reply(
  context: string | null,
  text: string,
  mode: PracticeMode = 'text',
  durationSec?: number,
) {
  const messages: CoreInput['messages'] =
    context === null ? [] : [{ role: 'AI', content: context }];
  messages.push({ role: 'USER', content: text });
  const core = analyzeHeuristic({ mode, messages, durationSec: durationSec ?? null });
  const m = core.messages[0]!;
  return { m, score: messageScore(m), core };
}
