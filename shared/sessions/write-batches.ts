import DataLoader from 'dataloader';
import type { PrismaClient } from '../db.js';
import { isDatabaseUnavailable } from '../db-unavailable.js';
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

export interface WriteBatchOptions {
  /** Most sessions one claim or apply statement carries; 1 sends each on its own. */
  maxBatch: number;
  /** APPLY_LOCK_TIMEOUT_MS. */
  lockTimeoutMs: number;
  /** Told the size of each batch sent (metrics). */
  onBatch?: (kind: 'claim' | 'apply', size: number) => void;
  /** Told when a batch failed and its sessions are being sent one by one. */
  onBatchFailed?: (kind: 'claim' | 'apply', size: number, err: unknown) => void;
}

/** Batches of one kind in flight at once: one may wait on a row lock while the next goes. */
const IN_FLIGHT = 2;

/**
 * The claims and applies of a worker process's concurrent jobs, sent together: while IN_FLIGHT
 * statements of a kind are running, the jobs that reach that step wait and then go as one
 * statement (one round trip, one commit). An idle worker sends each at once, alone. A batch that
 * fails is retried session by session, so each job gets its own outcome or error and one
 * session's lock timeout never fails another's attempt.
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

  const claims = batcher<string, ClaimedSession | null>(
    (ids) => claimManyForProcessing(prisma, ids),
    single.claim,
    'claim',
    opts,
  );
  const applies = batcher<ScoredForApply & { userId: string }, ApplyOutcome>(
    async (sessions) => {
      // By user, then session: every batch takes user locks in the same order.
      const order = sessions
        .map((s, i) => ({ s, i }))
        .sort((a, b) => compare(a.s.userId, b.s.userId) || compare(a.s.sessionId, b.s.sessionId));
      const outcomes = await applyManyScoredSessions(
        prisma,
        order.map((o) => o.s),
        { lockTimeoutMs: opts.lockTimeoutMs },
      );
      const byInput = new Array<ApplyOutcome>(sessions.length);
      order.forEach((o, k) => (byInput[o.i] = outcomes[k] as ApplyOutcome));
      return byInput;
    },
    single.apply,
    'apply',
    opts,
  );
  return { claim: (id) => claims.load(id), apply: (s) => applies.load(s) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function batcher<K, V>(
  many: (keys: readonly K[]) => Promise<V[]>,
  one: (key: K) => Promise<V>,
  kind: 'claim' | 'apply',
  opts: WriteBatchOptions,
): DataLoader<K, V> {
  let inFlight = 0;
  const queued: (() => void)[] = [];
  const release = () => {
    inFlight--;
    const next = queued.shift();
    if (next) next();
  };
  return new DataLoader<K, V>(
    async (keys) => {
      opts.onBatch?.(kind, keys.length);
      try {
        if (keys.length === 1) return [await one(keys[0] as K)];
        try {
          return await many(keys);
        } catch (err) {
          if (isDatabaseUnavailable(err)) throw err;
          opts.onBatchFailed?.(kind, keys.length, err);
          const each = await Promise.allSettled(keys.map(one));
          return each.map((r) => (r.status === 'fulfilled' ? r.value : toError(r.reason)));
        }
      } finally {
        release();
      }
    },
    {
      cache: false,
      maxBatchSize: opts.maxBatch,
      // A batch goes once a slot is free, collecting every job that reaches this step meanwhile
      // (at least those of the same tick: DataLoader adds keys after scheduling).
      batchScheduleFn: (dispatch) => {
        const go = () => {
          inFlight++;
          process.nextTick(dispatch);
        };
        if (inFlight < IN_FLIGHT) go();
        else queued.push(go);
      },
    },
  );
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
