import { batcher } from '../batching.js';
import type { PrismaClient } from '../db.js';
import {
  applyManyScoredSessions,
  applyScoredSession,
  type ApplyOutcome,
  type ScoredForApply,
} from './apply.js';
import { claimForProcessing, claimManyForProcessing, type ClaimedSession } from './lifecycle.js';

/** The claim and the apply as a worker's jobs call them. */
export interface SessionWrites {
  claim: (sessionId: string) => Promise<ClaimedSession | null>;
  apply: (session: ScoredForApply & { userId: string }) => Promise<ApplyOutcome>;
}

type Kind = 'claim' | 'apply';

export interface WriteBatchOptions {
  /** Most sessions one claim or apply statement carries; 1 sends each on its own. */
  maxBatch: number;
  /** APPLY_LOCK_TIMEOUT_MS: the longest a session's own apply waits for a row lock. */
  lockTimeoutMs: number;
  /** Told the size of each batch sent (metrics). */
  onBatch?: (kind: Kind, size: number) => void;
  /** Told when a batch failed and its sessions are being sent one by one. */
  onBatchFailed?: (kind: Kind, size: number, err: unknown) => void;
}

/**
 * How long a batch waits for any one row lock before it gives up and its sessions go one by
 * one: a row locked elsewhere (an account being deleted, another process's apply for the same
 * user) then holds up only its own session, which waits its full lock timeout alone.
 */
const BATCH_LOCK_TIMEOUT_MS = 200;

/**
 * The claims and applies of a worker process's concurrent jobs, sent together (../batching.ts):
 * while two statements of a kind are running, the jobs that reach that step wait and then go as
 * one statement (one round trip, one commit). An idle worker sends each at once, alone. A batch
 * that fails is sent again session by session, so each job gets its own outcome or error and one
 * session's lock wait never fails another's attempt.
 */
export function batchedSessionWrites(prisma: PrismaClient, opts: WriteBatchOptions): SessionWrites {
  const single: SessionWrites = {
    claim: (id) => claimForProcessing(prisma, id),
    apply: (s) =>
      applyScoredSession(prisma, s.sessionId, s.input, s.scored, {
        lockTimeoutMs: opts.lockTimeoutMs,
        completedAt: s.completedAt,
      }),
  };
  if (opts.maxBatch <= 1) return single;
  const batchLock = { lockTimeoutMs: Math.min(BATCH_LOCK_TIMEOUT_MS, opts.lockTimeoutMs) };

  const claims = batcher<string, ClaimedSession | null>({
    many: (ids) => claimManyForProcessing(prisma, ids, batchLock),
    one: single.claim,
    maxBatch: opts.maxBatch,
    onBatch: (size) => opts.onBatch?.('claim', size),
    onBatchFailed: (size, err) => opts.onBatchFailed?.('claim', size, err),
  });
  const applies = batcher<ScoredForApply & { userId: string }, ApplyOutcome>({
    many: async (sessions) => {
      // By user (every batch takes user locks in the same order), then in the order the sessions
      // completed, as they would have been applied one by one (streaks and the day rules read
      // the user's earlier sessions).
      const order = sessions
        .map((s, i) => ({ s, i }))
        .sort(
          (a, b) =>
            compare(a.s.userId, b.s.userId) ||
            a.s.completedAt.getTime() - b.s.completedAt.getTime() ||
            compare(a.s.sessionId, b.s.sessionId),
        );
      const outcomes = await applyManyScoredSessions(
        prisma,
        order.map((o) => o.s),
        batchLock,
      );
      const byInput = new Array<ApplyOutcome>(sessions.length);
      order.forEach((o, k) => (byInput[o.i] = outcomes[k] as ApplyOutcome));
      return byInput;
    },
    one: single.apply,
    maxBatch: opts.maxBatch,
    onBatch: (size) => opts.onBatch?.('apply', size),
    onBatchFailed: (size, err) => opts.onBatchFailed?.('apply', size, err),
  });
  return { claim: (id) => claims.load(id), apply: (s) => applies.load(s) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
