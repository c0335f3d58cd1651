import type { AiCoreProvider } from '../../shared/ai/index.js';
import { ProviderError } from '../../shared/ai/openai/errors.js';
import type { StoredInput } from '../../shared/sessions/input.js';
import { scoreSubmission, type ScoredSession } from '../../shared/sessions/score.js';
import type { ScoringRefs } from '../../shared/sessions/scoring-refs.js';
import { PermanentSessionError } from './failures.js';

export interface FallbackDeps {
  provider: AiCoreProvider;
  /** Scores the session when the provider's last attempt failed; null/absent: the session FAILS. */
  fallback?: AiCoreProvider | null;
  /** Told the reason whenever the fallback's result replaces the provider's. */
  onFallback?: (reason: string) => void;
}

/**
 * The failure policy around the configured provider. A rate limit is thrown as is while the job
 * may still pause the queue (no attempt is used); past that budget it is an ordinary failure. Other failures are retried by the queue until the final
 * attempt — or at once for a permanent one (a refused key) — and then the whole session is scored
 * by the fallback, which records why; without a fallback the session FAILS with the error's code.
 */
export async function scoreWithFallback(
  deps: FallbackDeps,
  input: StoredInput,
  refs: ScoringRefs,
  attempt: { final: boolean; canPause: boolean },
): Promise<ScoredSession> {
  try {
    return await scoreSubmission(deps.provider, input, refs.mission, refs.context);
  } catch (err) {
    const failure = err instanceof ProviderError ? err : null;
    if (failure?.kind === 'rate_limited' && attempt.canPause) throw err;
    const last = attempt.final || failure?.permanent === true;
    if (!last) throw err;
    if (!deps.fallback) {
      if (failure?.permanent) throw new PermanentSessionError(failure.code, failure.message);
      throw err;
    }
    const reason = failure?.kind ?? 'error';
    deps.onFallback?.(reason);
    const scored = await scoreSubmission(deps.fallback, input, refs.mission, refs.context);
    const { run } = scored.core;
    if (run) {
      scored.core.run = { ...run, requestedProvider: deps.provider.name, fallbackReason: reason };
    }
    return scored;
  }
}
