import {
  type AbComparison,
  buildInsights,
  compareAb,
  scoreSession as scoreCore,
  type AiCoreProvider,
  type CoreInput,
  type CoreResult,
  type SessionInsights,
  type SessionScoring,
  type ProviderRun,
  type ScoringContext,
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
  context: ScoringContext | null = null,
): Promise<ScoredSession> {
  const base = { passScore: mission?.passScore ?? null, mission: mission?.rewards ?? null };
  // What each USER message says (by index), for the rule on messages repeated within a session.
  const opts = (texts: [number, string][]) => ({ ...base, texts: new Map(texts) });
  const measured: AiCoreProvider = { ...provider, analyze: (i) => timed(provider, i) };
  switch (input.mode) {
    case 'text': {
      const core = await measured.analyze({ mode: 'text', messages: input.messages, context });
      const texts = input.messages.flatMap((m, i): [number, string][] =>
        m.role === 'USER' ? [[i, m.content]] : [],
      );
      return finish(core, scoreCore(core, opts(texts)), null, null);
    }
    case 'voice': {
      const { transcript } = input;
      if (transcript === null) throw new Error('A voice clip must be transcribed before scoring');
      const core = await measured.analyze({
        mode: 'voice',
        messages: [{ role: 'USER', content: transcript }],
        durationSec: input.durationSec,
        context,
      });
      return finish(core, scoreCore(core, opts([[0, transcript]])), null, transcript);
    }
    case 'ab': {
      const cmp = mergeAbRuns(await compareAb(measured, input, context));
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
      const winnerText = winnerIndex === 1 ? input.optionB : input.optionA;
      return finish(core, scoreCore(core, opts([[winnerIndex, winnerText]])), ab, null);
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

/** Calls the provider and makes sure its result says how it was produced and how long it took. */
async function timed(provider: AiCoreProvider, input: CoreInput): Promise<CoreResult> {
  const started = performance.now();
  const result = await provider.analyze(input);
  const latencyMs = Math.round(performance.now() - started);
  result.run ??= {
    requestedProvider: provider.name,
    model: null,
    rubricVersion: null,
    latencyMs,
    calls: 1,
    usage: null,
    unsupportedEvidence: 0,
    fallbackReason: null,
  };
  return result;
}

/** The two options were scored by two calls at once: the session's run adds them up. */
function mergeAbRuns(cmp: AbComparison): AbComparison {
  const [a, b] = [cmp.a.run, cmp.b.run];
  if (!a || !b) return cmp;
  const run: ProviderRun = {
    ...a,
    latencyMs: Math.max(a.latencyMs, b.latencyMs),
    calls: a.calls + b.calls,
    usage:
      a.usage && b.usage
        ? {
            promptTokens: a.usage.promptTokens + b.usage.promptTokens,
            completionTokens: a.usage.completionTokens + b.usage.completionTokens,
            totalTokens: a.usage.totalTokens + b.usage.totalTokens,
          }
        : (a.usage ?? b.usage),
    unsupportedEvidence: a.unsupportedEvidence + b.unsupportedEvidence,
  };
  return { ...cmp, winning: { ...cmp.winning, run } };
}
