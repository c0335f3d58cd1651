import DataLoader from 'dataloader';
import { isDatabaseUnavailable } from './db-unavailable.js';

/** Statements of one batcher in flight at once: one may wait on a row lock while the next goes. */
const IN_FLIGHT = 2;

export interface BatcherOptions<K, V> {
  /** One statement for several keys: a value per key, in the keys' order. */
  many: (keys: readonly K[]) => Promise<V[]>;
  /** One key alone, with its usual lock wait: each key of a batch that failed, sent again. */
  one: (key: K) => Promise<V>;
  /** Most keys in one batch. */
  maxBatch: number;
  /** Told the size of each batch sent (metrics). */
  onBatch?: (size: number) => void;
  /** Told when a batch failed and its keys are being sent one by one. */
  onBatchFailed?: (size: number, err: unknown) => void;
}

/**
 * Sends the keys that arrive together as one statement: while IN_FLIGHT batches are running the
 * next keys wait and then go together; an idle caller's key goes at once, alone (a batch of one).
 * A batch that fails for any reason but an unreachable database is sent again key by key, and
 * each key settles with its own statement's value or error as soon as that statement does
 * (DataLoader values are each key's own promise, which the load's promise adopts). A slot is
 * freed when its shared statement ends: the one-by-one resends run outside the slots, so a key
 * that waits long on a lock never holds up the keys behind it.
 */
export function batcher<K, V>(opts: BatcherOptions<K, V>): { load: (key: K) => Promise<V> } {
  const { many, one } = opts;
  let inFlight = 0;
  const queued: (() => void)[] = [];
  /** Each key's promise, and when the shared statement is done (the slot is freed then). */
  const settle = (keys: readonly K[]) => {
    notify(() => opts.onBatch?.(keys.length));
    // A batch of one goes through `many` too: every statement run inside a slot has the batch's
    // short lock wait; what fails or waits longer is sent again outside the slots.
    const batch = Promise.resolve()
      .then(() => many(keys))
      .then(
        (values) => ({ values }),
        (err: unknown) => {
          // The database is unreachable: every caller gets this error; one by one would fail too.
          if (isDatabaseUnavailable(err)) throw err;
          notify(() => opts.onBatchFailed?.(keys.length, err));
          return { values: null };
        },
      );
    const results = keys.map((key, i) =>
      batch.then(({ values }) => (values ? (values[i] as V) : one(key))),
    );
    return { results, done: batch.then(noop, noop) };
  };
  const loader = new DataLoader<K, Promise<V>>(
    (keys) => {
      const { results, done } = settle(keys);
      void done.then(() => {
        inFlight--;
        queued.shift()?.();
      });
      return Promise.resolve(results);
    },
    {
      cache: false,
      maxBatchSize: opts.maxBatch,
      // A batch goes once a slot is free, collecting every key that arrives meanwhile (at least
      // those of the same tick: DataLoader adds keys after scheduling).
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
  return { load: async (key) => loader.load(key) };
}

function noop(): void {
  // Only the settling matters.
}

/** A metrics or logging callback that throws must not change what the callers get. */
function notify(callback: () => void): void {
  try {
    callback();
  } catch {
    // Ignored on purpose: the callbacks only observe.
  }
}
