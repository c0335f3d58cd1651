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

/** Batches of one kind in flight at once: one may wait on a row lock while the next goes. */
const IN_FLIGHT = 2;

/**
 * How long a batch waits for any one row lock before it gives up and its sessions go one by
 * one: a row locked elsewhere (an account being deleted, another process's apply for the same
 * user) then holds up only its own session, which waits its full lock timeout alone.
 */
const BATCH_LOCK_TIMEOUT_MS = 200;

/**
 * The claims and applies of a worker process's concurrent jobs, sent together: while IN_FLIGHT
 * statements of a kind are running, the jobs that reach that step wait and then go as one
 * statement (one round trip, one commit). An idle worker sends each at once, alone. A batch that
 * fails is sent again session by session, so each job gets its own outcome or error and one
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

  const claims = batcher<string, ClaimedSession | null>(
    (ids) => claimManyForProcessing(prisma, ids, batchLock),
    single.claim,
    'claim',
    opts,
  );
  const applies = batcher<ScoredForApply & { userId: string }, ApplyOutcome>(
    async (sessions) => {
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
    single.apply,
    'apply',
    opts,
  );
  return { claim: (id) => claims.load(id), apply: (s) => applies.load(s) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A DataLoader whose values are each key's own promise: after a failed batch every key settles
 * as soon as its own one-by-one statement does, not when the slowest of the batch does. The
 * slot is freed once every statement the batch started has settled.
 */
function batcher<K, V>(
  many: (keys: readonly K[]) => Promise<V[]>,
  one: (key: K) => Promise<V>,
  kind: Kind,
  opts: WriteBatchOptions,
): { load: (key: K) => Promise<V> } {
  let inFlight = 0;
  const queued: (() => void)[] = [];
  const settle = (keys: readonly K[]): Promise<V>[] => {
    notify(() => opts.onBatch?.(kind, keys.length));
    if (keys.length === 1) return [one(keys[0] as K)];
    const batch = many(keys).then(
      (values) => ({ values }),
      (err: unknown) => {
        // Postgres is unreachable: every job pauses on this error; one by one would fail too.
        if (isDatabaseUnavailable(err)) throw err;
        notify(() => opts.onBatchFailed?.(kind, keys.length, err));
        return { values: null };
      },
    );
    return keys.map((key, i) => batch.then(({ values }) => (values ? (values[i] as V) : one(key))));
  };
  const loader = new DataLoader<K, Promise<V>>(
    (keys) => {
      const results = settle(keys);
      void Promise.allSettled(results).then(() => {
        inFlight--;
        queued.shift()?.();
      });
      return Promise.resolve(results);
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
  // A value that is a promise is adopted by the load's own promise.
  return { load: async (key) => loader.load(key) };
}

/** A metrics or logging callback that throws must not change what the jobs get. */
function notify(callback: () => void): void {
  try {
    callback();
  } catch {
    // Ignored on purpose: the callbacks only observe.
  }
}
