import { createHash } from 'node:crypto';
import { prepared, type PreparedStatement, type PrismaClient } from '../../shared/db.js';
import type { Logger } from '../../shared/logger.js';

/** How often each API process asks for new principal changes. */
const POLL_EVERY_MS = 250;

/** The cache key of a user: what the "User" triggers write to "PrincipalChange"."key". */
export const principalKey = (userId: string): string =>
  createHash('sha256').update(userId, 'utf8').digest('hex');

/**
 * The changes written by transactions this process's last poll could not see (transaction id at
 * or above that snapshot's xmin: still running then, or begun since), and this snapshot's xmin.
 * Every transaction below the xmin had finished, so its rows (if it committed) were returned by
 * some earlier poll: a late commit is never skipped, whatever its timestamps.
 */
const POLL: PreparedStatement = {
  name: 'sg_principal_changes_v1',
  text: `
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS "xmin",
      (SELECT coalesce(json_agg(json_build_array(c."id"::text, c."key")), '[]'::json)
       FROM "PrincipalChange" c WHERE c."xid" >= $1::bigint) AS "changes"`,
};

/** Above every transaction id: the first poll's bound. */
const NOTHING = '9223372036854775807';

interface PollRow {
  xmin: string;
  changes: [string, string][];
}

/**
 * Polls "PrincipalChange" every 250 ms and reports each changed user's key once. `freshSince`
 * is the time (performance.now()) the last successful poll was sent: every change committed
 * before it has been reported. The first poll only fixes the starting point (the cache is empty
 * then).
 */
export interface PrincipalChanges {
  /** performance.now() at which the last successful poll was sent; -Infinity before one. */
  readonly freshSince: number;
  listen(onChanged: (key: string) => void): void;
  close(): void;
}

export function pollPrincipalChanges(prisma: PrismaClient, logger: Logger): PrincipalChanges {
  let xmin: string | null = null;
  let freshSince = Number.NEGATIVE_INFINITY;
  /** Ids already reported, kept while their transaction may still be at or above the xmin. */
  let seen = new Set<string>();
  const handlers: ((key: string) => void)[] = [];
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const poll = async () => {
    const sentAt = performance.now();
    try {
      // The first poll reads no rows: it only takes the starting point.
      const [row] = await prepared<PollRow>(prisma, POLL, [xmin ?? NOTHING]);
      if (!row) throw new Error('the principal-changes poll returned no row');
      const next = new Set<string>();
      for (const [id, key] of row.changes) {
        next.add(id);
        if (!seen.has(id)) for (const handler of handlers) handler(key);
      }
      seen = next;
      xmin = row.xmin;
      freshSince = sentAt;
      failures = 0;
    } catch (err) {
      // Entries are then trusted for under a second only (principals.ts): nothing is missed.
      if (failures++ === 0) logger.warn({ err }, 'could not poll principal changes');
    }
  };
  const loop = () => {
    timer = setTimeout(() => {
      void poll().finally(() => {
        if (!closed) loop();
      });
    }, POLL_EVERY_MS);
    timer.unref();
  };
  void poll().finally(() => {
    if (!closed) loop();
  });

  return {
    get freshSince() {
      return freshSince;
    },
    listen(onChanged) {
      handlers.push(onChanged);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
