import type pg from 'pg';

/** Database-side facts the bench waits for and asserts, restricted to the bench's own users. */

export interface SessionCounts {
  total: number;
  completed: number;
  failed: number;
}

export async function sessionCounts(db: pg.Pool, userIds: string[]): Promise<SessionCounts> {
  const { rows } = await db.query<{ total: string; completed: string; failed: string }>(
    `SELECT count(*) AS total,
            count(*) FILTER (WHERE "status" = 'COMPLETED') AS completed,
            count(*) FILTER (WHERE "status" = 'FAILED') AS failed
     FROM "PracticeSession" WHERE "userId" = ANY($1)`,
    [userIds],
  );
  const row = rows[0];
  return {
    total: Number(row?.total ?? 0),
    completed: Number(row?.completed ?? 0),
    failed: Number(row?.failed ?? 0),
  };
}

/** How often the drain is polled: fine enough for a seconds-long measurement, light on Postgres. */
const POLL_MS = 100;

/**
 * Sessions of these users still waiting (QUEUED or PROCESSING) and FAILED ones: read on the
 * (status, createdAt) index, so a poll costs what the backlog is, not what the run has stored
 * (the bench must not take the CPU it measures).
 */
async function unsettledCounts(db: pg.Pool, userIds: string[]) {
  const { rows } = await db.query<{ waiting: string; failed: string }>(
    `SELECT count(*) FILTER (WHERE "status" <> 'FAILED') AS waiting,
            count(*) FILTER (WHERE "status" = 'FAILED') AS failed
     FROM "PracticeSession"
     WHERE "status" IN ('QUEUED', 'PROCESSING', 'FAILED') AND "userId" = ANY($1)`,
    [userIds],
  );
  return { waiting: Number(rows[0]?.waiting ?? 0), failed: Number(rows[0]?.failed ?? 0) };
}

/**
 * Waits until at least `expected` sessions of these users exist and every one is COMPLETED (or a
 * session FAILED, which the heuristic scorer never causes). Sessions beyond `expected` come from
 * requests that got no clean answer (a 500 or a reset after the commit) and must complete too.
 * Resolves with the time nothing was left waiting (performance.now()), or null at the deadline.
 */
export async function waitCompleted(
  db: pg.Pool,
  userIds: string[],
  expected: number,
  deadlineMs: number,
): Promise<{ at: number | null; counts: SessionCounts }> {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    const unsettled = await unsettledCounts(db, userIds);
    const at = performance.now();
    if (unsettled.failed > 0 || at > deadline)
      return { at: null, counts: await sessionCounts(db, userIds) };
    if (unsettled.waiting === 0) {
      // Every session stored so far is settled: one full count confirms they are all there.
      const counts = await sessionCounts(db, userIds);
      if (counts.completed >= expected && counts.completed === counts.total) return { at, counts };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Exactly-once: every accepted (202) request is one session, and a session beyond those only for a
 * request without a clean answer (`ambiguous`: 5xx or no answer); every session COMPLETED with one
 * SESSION_REWARD entry, no reward for a session that is not COMPLETED, and each wallet equal to
 * the sum of its ledger (xp, coins, gems). Returns the violations; empty means all hold.
 */
export async function exactlyOnceViolations(
  db: pg.Pool,
  userIds: string[],
  accepted: number,
  ambiguous: number,
): Promise<string[]> {
  const violations: string[] = [];
  const counts = await sessionCounts(db, userIds);
  if (counts.total < accepted) {
    violations.push(`${accepted} submits answered 202 but only ${counts.total} sessions exist`);
  }
  if (counts.total > accepted + ambiguous) {
    violations.push(
      `${counts.total} sessions exist for ${accepted} accepted and ${ambiguous} unanswered submits`,
    );
  }
  if (counts.completed !== counts.total) {
    violations.push(`${counts.total - counts.completed} of ${counts.total} sessions not COMPLETED`);
  }
  const one = (sql: string) =>
    db.query<{ n: string }>(sql, [userIds]).then((r) => Number(r.rows[0]?.n ?? 0));
  const rewards = await one(
    `SELECT count(*) AS n FROM "PracticeSession" s
     WHERE s."userId" = ANY($1) AND s."status" = 'COMPLETED'
       AND (SELECT count(*) FROM "WalletLedgerEntry" l
            WHERE l."sessionId" = s."id" AND l."kind" = 'SESSION_REWARD') <> 1`,
  );
  if (rewards > 0) violations.push(`${rewards} COMPLETED sessions without exactly one reward`);
  const stray = await one(
    `SELECT count(*) AS n FROM "WalletLedgerEntry" l JOIN "PracticeSession" s ON s."id" = l."sessionId"
     WHERE l."userId" = ANY($1) AND s."status" <> 'COMPLETED'`,
  );
  if (stray > 0) violations.push(`${stray} ledger entries for sessions not COMPLETED`);
  const wallets = await one(
    `SELECT count(*) AS n FROM "UserWallet" w
     LEFT JOIN (SELECT "userId", sum("xp") AS xp, sum("coins") AS coins, sum("gems") AS gems
                FROM "WalletLedgerEntry" WHERE "userId" = ANY($1) GROUP BY "userId") l
       ON l."userId" = w."userId"
     WHERE w."userId" = ANY($1)
       AND (w."xp" <> coalesce(l.xp, 0) OR w."coins" <> coalesce(l.coins, 0)
            OR w."gems" <> coalesce(l.gems, 0))`,
  );
  if (wallets > 0) violations.push(`${wallets} wallets differ from the sum of their ledger`);
  return violations;
}
