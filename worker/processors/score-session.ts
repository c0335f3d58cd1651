import type { AiCoreProvider } from '../../shared/ai/index.js';
import type { Transcriber } from '../../shared/ai/openai/transcriber.js';
import type { PrismaClient } from '../../shared/db.js';
import { templateLimitViolation } from '../../shared/fair-play/index.js';
import type { ScoreSessionPayload } from '../../shared/queue/contract.js';
import type { ApplyOutcome } from '../../shared/sessions/apply.js';
import { StoredInputSchema } from '../../shared/sessions/input.js';
import { loadScoringRefs } from '../../shared/sessions/scoring-refs.js';
import { batchedSessionWrites, type SessionWrites } from '../../shared/sessions/write-batches.js';
import { PermanentSessionError } from './failures.js';
import { scoreWithFallback, type FallbackDeps } from './score-with-fallback.js';
import { transcribeClip, type Slots } from './transcribe-clip.js';

const DEFAULT_APPLY_LOCK_TIMEOUT_MS = 5000;

export interface ScoreDeps extends FallbackDeps {
  prisma: PrismaClient;
  provider: AiCoreProvider;
  /** Speech to text for uploaded clips; null: such sessions FAIL (TRANSCRIPTION_UNAVAILABLE). */
  transcriber?: Transcriber | null;
  /** Bounds the clips transcribed (and held in memory) at once; unbounded when absent. */
  transcriptionSlots?: Slots;
  /** Announces a finished session (wakes long-polls). */
  publish: (sessionId: string) => Promise<unknown>;
  /** APPLY_LOCK_TIMEOUT_MS: longest wait of the apply for a row lock (default its default). */
  applyLockTimeoutMs?: number;
  /**
   * The claim and apply, batched across the process's jobs (they carry their own lock timeout;
   * applyLockTimeoutMs is then unused); default: each sent on its own.
   */
  writes?: SessionWrites;
  /** When a session completes (the apply's clock for streaks and daily limits); default: now. */
  clock?: () => Date;
  /** Told the time from submit to COMPLETED of each session this worker applies (metrics). */
  onCompleted?: (secondsSinceSubmit: number) => void;
}

export interface AttemptInfo {
  /** The job's last attempt: the fallback applies only then. */
  final: boolean;
  /** A provider rate limit may pause the queue (else it counts as an ordinary failure). */
  canPause: boolean;
}

/** A session that can never be scored: retrying is pointless. */
export class InvalidSessionError extends PermanentSessionError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}

/**
 * Transcribes (an uploaded clip), scores and applies one session's effects exactly once. Safe to
 * run again or concurrently for the same session: a COMPLETED session is left alone. Called
 * directly (not by BullMQ) it is a single, final attempt.
 */
export async function scoreSession(
  { sessionId }: ScoreSessionPayload,
  deps: ScoreDeps,
  attempt: AttemptInfo = { final: true, canPause: false },
): Promise<ApplyOutcome | 'not-claimable'> {
  const writes =
    deps.writes ??
    batchedSessionWrites(deps.prisma, {
      maxBatch: 1,
      lockTimeoutMs: deps.applyLockTimeoutMs ?? DEFAULT_APPLY_LOCK_TIMEOUT_MS,
    });
  const session = await writes.claim(sessionId);
  if (!session) return 'not-claimable';
  const parsed = StoredInputSchema.safeParse(session.input);
  if (!parsed.success) throw new InvalidSessionError(`Session ${sessionId} has unreadable input`);
  let input = parsed.data;
  if (input.mode === 'voice' && input.transcript === null) {
    const transcribed = await transcribeClip(deps, sessionId, input);
    // The account was deleted while this job ran: nothing is left to score.
    if (!transcribed) return 'missing';
    input = transcribed;
  }
  const refs = await loadScoringRefs(deps.prisma, session);
  if (input.mode === 'voice' && refs.limits && input.transcript !== null) {
    // The API checks text, A/B and JSON transcripts at submit; an uploaded clip's words are
    // known only now. Over the limit is refused as at submit: FAILED, nothing granted, the
    // transcript kept so the user sees what was heard.
    const violation = templateLimitViolation(refs.limits, [input.transcript]);
    if (violation) throw new PermanentSessionError('TEMPLATE_LIMIT_EXCEEDED', violation);
  }
  const scored = await scoreWithFallback(deps, input, refs, attempt);
  const completedAt = deps.clock?.() ?? new Date();
  const outcome = await writes.apply({
    sessionId,
    userId: session.userId,
    input,
    scored,
    completedAt,
  });
  if (outcome === 'applied') {
    deps.onCompleted?.((completedAt.getTime() - session.createdAt.getTime()) / 1000);
    await deps.publish(sessionId);
  }
  return outcome;
}
