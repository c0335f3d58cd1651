import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../shared/logger.js';

/** How often each API process asks for new principal changes. */
const POLL_EVERY_MS = 250;
/**
 * A process whose polls failed this long may have missed changes the maintenance purge has since
 * removed (it keeps them at least 10 minutes): it starts over, as at start-up.
 */
const RESTART_AFTER_MS = 60_000;
/** The key the TRUNCATE trigger writes: every user changed at once. */
export const EVERY_PRINCIPAL = '*';

/** The cache key of a user: what the "User" triggers write to "PrincipalChange"."key". */
export const principalKey = (userId: string): string =>
  createHash('sha256').update(userId, 'utf8').digest('hex');

/**
 * The rows committed since the previous poll's snapshot: written by a transaction not visible in
 * it (still running then, or begun since) and visible now, so every committed change is returned
 * exactly once, however late it commits. The previous snapshot's xmin bounds the index scan.
 */
const POLL = `
  SELECT pg_current_snapshot()::text AS "snapshot",
    (SELECT coalesce(json_agg(c."key"), '[]'::json) FROM "PrincipalChange" c
     WHERE c."xid" >= pg_snapshot_xmin($1::text::pg_snapshot)::text::bigint
       AND NOT pg_visible_in_snapshot(c."xid"::text::xid8, $1::text::pg_snapshot)) AS "keys"`;
/** The first poll (and a restart) takes a snapshot to start from and reads nothing. */
const START = `SELECT pg_current_snapshot()::text AS "snapshot", '[]'::json AS "keys"`;

interface PollRow {
  snapshot: string;
  keys: string[];
}

/**
 * Polls "PrincipalChange" every 250 ms on a connection of its own (never queued behind requests)
 * and reports each changed user's key. `freshSince` is the time the last successful poll was
 * sent: every change committed before it has been reported. A start (the first poll, or after
 * polls failed for a minute) reports `onRestart` instead: whatever was cached before may have
 * missed changes.
 */
export interface PrincipalChanges {
  /** performance.now() at which the last successful poll was sent; -Infinity before one. */
  readonly freshSince: number;
  listen(handlers: { onChanged: (key: string) => void; onRestart: () => void }): void;
  close(): Promise<void>;
}

export function pollPrincipalChanges(databaseUrl: string, logger: Logger): PrincipalChanges {
  let snapshot: string | null = null;
  let freshSince = Number.NEGATIVE_INFINITY;
  const changed: ((key: string) => void)[] = [];
  const restart: (() => void)[] = [];
  let client: pg.Client | null = null;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  const connection = async () => {
    if (client) return client;
    const fresh = new pg.Client({
      connectionString: databaseUrl,
      application_name: 'sg-principals',
    });
    // A broken connection is replaced on the next poll.
    fresh.on('error', () => {
      if (client === fresh) client = null;
    });
    await fresh.connect();
    if (closed) {
      await fresh.end().catch(() => undefined);
      throw new Error('closed');
    }
    client = fresh;
    return fresh;
  };

  const poll = async () => {
    try {
      const db = await connection();
      const sentAt = performance.now();
      const starting = snapshot === null || sentAt - freshSince > RESTART_AFTER_MS;
      const { rows } = await db.query<PollRow>(starting ? START : POLL, starting ? [] : [snapshot]);
      const row = rows[0];
      if (!row) throw new Error('the principal-changes poll returned no row');
      if (starting) for (const handler of restart) handler();
      for (const key of row.keys) {
        if (key === EVERY_PRINCIPAL) for (const handler of restart) handler();
        else for (const handler of changed) handler(key);
      }
      snapshot = row.snapshot;
      freshSince = sentAt;
      if (failures > 0) logger.info({ failures }, 'polling principal changes again');
      failures = 0;
    } catch (err) {
      // Entries are then used for under a second only (principals.ts): nothing is missed.
      if (!closed && failures++ === 0) logger.warn({ err }, 'could not poll principal changes');
      const broken = client;
      client = null;
      await broken?.end().catch(() => undefined);
    }
  };
  const run = () => {
    running = poll().finally(() => {
      running = null;
      if (!closed) {
        timer = setTimeout(run, POLL_EVERY_MS);
        timer.unref();
      }
    });
  };
  run();

  return {
    get freshSince() {
      return freshSince;
    },
    listen({ onChanged, onRestart }) {
      changed.push(onChanged);
      restart.push(onRestart);
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
      const open = client;
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}
