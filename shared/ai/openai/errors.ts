/**
 * What can go wrong calling an OpenAI-compatible endpoint, in the words the failure policy needs:
 * retry later (rate limit), retry (transient), or give up at once (permanent).
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
} from 'openai/core/error';

export type FailureKind =
  | 'timeout'
  | 'connection'
  | 'rate_limited'
  | 'server'
  | 'auth'
  | 'bad_request'
  | 'refusal'
  | 'truncated'
  | 'content_filter'
  | 'invalid_output'
  | 'quota'
  | 'no_speech';

export type ProviderStage = 'scoring' | 'transcription';

/** Kinds that no retry can fix (a wrong key, a request the endpoint will always refuse). */
const PERMANENT: ReadonlySet<FailureKind> = new Set(['auth', 'bad_request', 'quota', 'no_speech']);

/** Wait applied to a 429 without a usable `retry-after`, and the bounds for one that has it. */
const DEFAULT_RETRY_AFTER_MS = 10_000;
const MIN_RETRY_AFTER_MS = 250;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

export class ProviderError extends Error {
  /** The session error code when this ends an attempt for good. */
  readonly code: 'SCORING_FAILED' | 'TRANSCRIPTION_FAILED';

  constructor(
    readonly stage: ProviderStage,
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(`${stage} ${kind}: ${message}`, options);
    this.name = 'ProviderError';
    this.code = stage === 'scoring' ? 'SCORING_FAILED' : 'TRANSCRIPTION_FAILED';
  }

  get permanent(): boolean {
    return PERMANENT.has(this.kind);
  }
}

/** Maps anything the SDK (or our own parsing) threw to a ProviderError. */
export function classifyFailure(stage: ProviderStage, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const make = (kind: FailureKind, retryAfterMs: number | null = null) =>
    new ProviderError(stage, kind, message, retryAfterMs, { cause: err });
  if (err instanceof APIConnectionTimeoutError) return make('timeout');
  if (err instanceof APIConnectionError) return make('connection');
  if (err instanceof LengthFinishReasonError) return make('truncated');
  if (err instanceof ContentFilterFinishReasonError) return make('content_filter');
  if (err instanceof APIError) {
    const { status, headers } = err as APIError;
    if (status === undefined) return make('server');
    // An exhausted quota (billing) is a 429 too, but no wait fixes it.
    if (status === 429 && err.code === 'insufficient_quota') return make('quota');
    if (status === 429) return make('rate_limited', retryAfterMs(headers));
    if (status === 401 || status === 403) return make('auth');
    if (status === 408) return make('timeout');
    if (status >= 500) return make('server');
    if (status >= 400) return make('bad_request');
    return make('server');
  }
  // JSON.parse or the zod schema refusing the model's output.
  if (err instanceof SyntaxError || (err instanceof Error && err.name === 'ZodError')) {
    return make('invalid_output');
  }
  return make('server');
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date; bounded. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number {
  const ms = Number(headers?.get('retry-after-ms'));
  let wait = Number.isFinite(ms) && ms > 0 ? ms : NaN;
  const after = headers?.get('retry-after');
  if (Number.isNaN(wait) && after) {
    const seconds = Number(after);
    wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - now;
  }
  if (!Number.isFinite(wait) || wait <= 0) return DEFAULT_RETRY_AFTER_MS;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, Math.round(wait)));
}
