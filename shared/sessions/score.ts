import {
  buildInsights,
  compareAb,
  scoreSession as scoreCore,
  type AiCoreProvider,
  type CoreResult,
  type SessionInsights,
  type SessionScoring,
  type Traits,
} from '../ai/index.js';
import type { StoredInput } from './input.js';

export interface AbResult {
  prompt: string | null;
  optionA: { text: string; score: number; traits: Traits | Record<string, never> };
  optionB: { text: string; score: number; traits: Traits | Record<string, never> };
  winner: 'A' | 'B' | null;
}

/** Everything scoring decided about a session, before anything is written. */
export interface ScoredSession {
  core: CoreResult;
  scoring: SessionScoring;
  insights: SessionInsights;
  ab: AbResult | null;
  transcript: string | null;
}

export interface Mission {
  passScore: number;
  rewards: { xp: number; coins: number; gems: number };
}

/**
 * Runs AiCore (the provider) and AiScoring (the game layer) over a stored submission. Pure apart
 * from the provider call; never re-implements any scoring rule.
 */
export async function scoreSubmission(
  provider: AiCoreProvider,
  input: StoredInput,
  mission: Mission | null,
): Promise<ScoredSession> {
  const opts = { passScore: mission?.passScore ?? null, mission: mission?.rewards ?? null };
  switch (input.mode) {
    case 'text': {
      const core = await provider.analyze({ mode: 'text', messages: input.messages });
      return finish(core, scoreCore(core, opts), null, null);
    }
    case 'voice': {
      const core = await provider.analyze({
        mode: 'voice',
        messages: [{ role: 'USER', content: input.transcript }],
        durationSec: input.durationSec,
      });
      return finish(core, scoreCore(core, opts), null, input.transcript);
    }
    case 'ab': {
      const cmp = await compareAb(provider, input);
      // Rewards come from the winning option only; its message is re-indexed to the option's
      // position (A = 0, B = 1) so every index in the result points at a stored message.
      const winnerIndex = cmp.winner === 'B' ? 1 : 0;
      const core: CoreResult = {
        ...cmp.winning,
        messages: cmp.winning.messages.map((m) => ({ ...m, index: winnerIndex })),
      };
      const ab: AbResult = {
        prompt: input.prompt,
        optionA: {
          text: input.optionA,
          score: cmp.scoreA,
          traits: cmp.a.messages[0]?.traits ?? {},
        },
        optionB: {
          text: input.optionB,
          score: cmp.scoreB,
          traits: cmp.b.messages[0]?.traits ?? {},
        },
        winner: cmp.winner,
      };
      return finish(core, scoreCore(core, opts), ab, null);
    }
  }
}

function finish(
  core: CoreResult,
  scoring: SessionScoring,
  ab: AbResult | null,
  transcript: string | null,
): ScoredSession {
  return { core, scoring, insights: buildInsights(core, scoring), ab, transcript };
}
