import type pg from 'pg';
import type { KeyRecord, SessionSeen } from './client.js';

/**
 * The invariants a chaos run must leave true, per user, read with direct SQL after the load has
 * stopped and the sessions have settled: every session terminal; one reward per COMPLETED session
 * and none for any other; wallet = Σ ledger = Σ session rewards; stats = completed sessions; every
 * session created under exactly one key, every key answered with one session, and what the
 * clients were told agrees with what was stored.
 */

export interface Check {
  name: string;
  /** What was counted, printed whether or not the check holds. */
  facts: string;
  /** Empty when the invariant holds. */
  violations: string[];
}

/** Examples printed per violation. */
const EXAMPLES = 3;
const some = (items: string[]) =>
  items.slice(0, EXAMPLES).join('; ') + (items.length > EXAMPLES ? ' …' : '');

interface SessionRow {
  id: string;
  userId: string;
  status: string;
  attempts: number;
  xpGained: number;
  coinsGained: number;
  gemsGained: number;
}

export async function checkInvariants(
  db: pg.Pool,
  userIds: string[],
  keys: KeyRecord[],
  seen: Map<string, SessionSeen>,
): Promise<Check[]> {
  const { rows: sessions } = await db.query<SessionRow>(
    `SELECT "id", "userId", "status", "attempts", "xpGained", "coinsGained", "gemsGained"
     FROM "PracticeSession" WHERE "userId" = ANY($1)`,
    [userIds],
  );
  return [
    terminal(sessions),
    await rewardsOnce(db, userIds),
    await walletsBalance(db, userIds),
    await statsMatch(db, userIds),
    await keysOneToOne(db, userIds, keys, sessions),
    clientsAgree(sessions, seen),
  ];
}

function terminal(sessions: SessionRow[]): Check {
  const by: Record<string, number> = {};
  for (const s of sessions) by[s.status] = (by[s.status] ?? 0) + 1;
  const open = sessions.filter((s) => s.status !== 'COMPLETED' && s.status !== 'FAILED');
  // Evidence that the faults hit work in progress: a session claimed again after a kill or outage.
  const reclaimed = sessions.filter((s) => s.attempts > 1).length;
  return {
    name: 'every accepted session terminal',
    facts: `${sessions.length} sessions: ${Object.entries(by)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}; ${reclaimed} claimed more than once`,
    violations: open.length
      ? [`${open.length} not terminal: ${some(open.map((s) => `${s.id} ${s.status}`))}`]
      : [],
  };
}

async function rewardsOnce(db: pg.Pool, userIds: string[]): Promise<Check> {
  const { rows } = await db.query<{ id: string; status: string; rewards: number; entries: number }>(
    `SELECT s."id", s."status",
            count(l."id") FILTER (WHERE l."kind" = 'SESSION_REWARD')::int AS "rewards",
            count(l."id")::int AS "entries"
     FROM "PracticeSession" s LEFT JOIN "WalletLedgerEntry" l ON l."sessionId" = s."id"
     WHERE s."userId" = ANY($1)
     GROUP BY s."id", s."status"
     HAVING (s."status" = 'COMPLETED'
             AND count(l."id") FILTER (WHERE l."kind" = 'SESSION_REWARD') <> 1)
         OR (s."status" <> 'COMPLETED' AND count(l."id") > 0)`,
    [userIds],
  );
  const { rows: messages } = await db.query<{ id: string; n: number }>(
    `SELECT s."id", (SELECT count(*)::int FROM "ChatMessage" m WHERE m."sessionId" = s."id") AS "n"
     FROM "PracticeSession" s WHERE s."userId" = ANY($1) AND s."status" = 'COMPLETED'`,
    [userIds],
  );
  // Every chaos session has 4 messages (2 AI, 2 USER): stored once, never twice.
  const wrongMessages = messages.filter((m) => m.n !== 4);
  const { rows: ledger } = await db.query<{ kind: string; n: number }>(
    `SELECT "kind", count(*)::int AS "n" FROM "WalletLedgerEntry" WHERE "userId" = ANY($1)
     GROUP BY "kind" ORDER BY "kind"`,
    [userIds],
  );
  return {
    name: 'one SESSION_REWARD per COMPLETED session, nothing for others; messages stored once',
    facts: `ledger: ${ledger.map((l) => `${l.n} ${l.kind}`).join(', ') || 'empty'}`,
    violations: [
      ...(rows.length
        ? [
            `${rows.length} sessions: ${some(rows.map((r) => `${r.id} ${r.status} with ${r.rewards} rewards / ${r.entries} entries`))}`,
          ]
        : []),
      ...(wrongMessages.length
        ? [
            `${wrongMessages.length} COMPLETED sessions without exactly 4 messages: ${some(wrongMessages.map((m) => `${m.id} has ${m.n}`))}`,
          ]
        : []),
    ],
  };
}

async function walletsBalance(db: pg.Pool, userIds: string[]): Promise<Check> {
  const { rows } = await db.query<Record<string, number | string>>(
    `WITH led AS (
       SELECT "userId", sum("xp")::int AS xp, sum("coins")::int AS coins, sum("gems")::int AS gems
       FROM "WalletLedgerEntry" WHERE "userId" = ANY($1) GROUP BY "userId"
     ), ses AS (
       SELECT "userId", sum("xpGained")::int AS xp, sum("coinsGained")::int AS coins,
              sum("gemsGained")::int AS gems
       FROM "PracticeSession" WHERE "userId" = ANY($1) AND "status" = 'COMPLETED' GROUP BY "userId"
     )
     SELECT w."userId", w."xp", w."coins", w."gems", w."lifetimeXp", w."level",
            sg_level_for_xp(w."lifetimeXp") AS "levelForXp",
            coalesce(led.xp, 0) AS "ledgerXp", coalesce(led.coins, 0) AS "ledgerCoins",
            coalesce(led.gems, 0) AS "ledgerGems",
            coalesce(ses.xp, 0) AS "sessionXp", coalesce(ses.coins, 0) AS "sessionCoins",
            coalesce(ses.gems, 0) AS "sessionGems"
     FROM "UserWallet" w LEFT JOIN led USING ("userId") LEFT JOIN ses USING ("userId")
     WHERE w."userId" = ANY($1)`,
    [userIds],
  );
  const bad: string[] = [];
  const total = { xp: 0, coins: 0, gems: 0 };
  for (const r of rows) {
    total.xp += Number(r.xp);
    total.coins += Number(r.coins);
    total.gems += Number(r.gems);
    const wallet = `${r.xp}/${r.coins}/${r.gems}`;
    const ledger = `${r.ledgerXp}/${r.ledgerCoins}/${r.ledgerGems}`;
    const earned = `${r.sessionXp}/${r.sessionCoins}/${r.sessionGems}`;
    if (wallet !== ledger || ledger !== earned || r.lifetimeXp !== r.ledgerXp) {
      bad.push(`user ${r.userId}: wallet ${wallet}, ledger ${ledger}, sessions ${earned}`);
    }
    if (r.level !== r.levelForXp) bad.push(`user ${r.userId}: level ${r.level} ≠ ${r.levelForXp}`);
  }
  return {
    name: 'wallet = Σ ledger = Σ session rewards (xp/coins/gems, level)',
    facts: `${rows.length} wallets, in total ${total.xp} xp, ${total.coins} coins, ${total.gems} gems`,
    violations: bad.length ? [`${bad.length} users: ${some(bad)}`] : [],
  };
}

async function statsMatch(db: pg.Pool, userIds: string[]): Promise<Check> {
  const { rows } = await db.query<{
    userId: string;
    sessionsCount: number;
    successCount: number;
    failCount: number;
    completed: number;
    succeeded: number;
  }>(
    `SELECT st."userId", st."sessionsCount", st."successCount", st."failCount",
            count(s."id") FILTER (WHERE s."status" = 'COMPLETED')::int AS "completed",
            count(s."id") FILTER (WHERE s."status" = 'COMPLETED' AND s."isSuccess")::int AS "succeeded"
     FROM "UserStats" st LEFT JOIN "PracticeSession" s ON s."userId" = st."userId"
     WHERE st."userId" = ANY($1)
     GROUP BY st."userId", st."sessionsCount", st."successCount", st."failCount"`,
    [userIds],
  );
  const bad = rows.filter(
    (r) =>
      r.sessionsCount !== r.completed ||
      r.successCount !== r.succeeded ||
      r.failCount !== r.completed - r.succeeded,
  );
  const sessions = rows.reduce((n, r) => n + r.sessionsCount, 0);
  return {
    name: 'stats = completed sessions (count, successes, fails)',
    facts: `${rows.length} users, sessionsCount summing to ${sessions}`,
    violations: bad.length
      ? [
          `${bad.length} users: ${some(bad.map((r) => `${r.userId} sessionsCount ${r.sessionsCount}/success ${r.successCount} vs ${r.completed} completed/${r.succeeded} succeeded`))}`,
        ]
      : [],
  };
}

async function keysOneToOne(
  db: pg.Pool,
  userIds: string[],
  keys: KeyRecord[],
  sessions: SessionRow[],
): Promise<Check> {
  const { rows: stored } = await db.query<{ userId: string; key: string; sessionId: string }>(
    `SELECT "userId", "key", "sessionId" FROM "IdempotencyKey" WHERE "userId" = ANY($1)`,
    [userIds],
  );
  const sent = new Map(keys.map((k) => [`${k.userId} ${k.key}`, k]));
  const byKey = new Map(stored.map((k) => [`${k.userId} ${k.key}`, k.sessionId]));
  const keysPerSession = new Map<string, number>();
  for (const k of stored)
    keysPerSession.set(k.sessionId, (keysPerSession.get(k.sessionId) ?? 0) + 1);
  const sessionIds = new Set(sessions.map((s) => s.id));
  const violations: string[] = [];
  const note = (what: string, items: string[]) => {
    if (items.length) violations.push(`${items.length} ${what}: ${some(items)}`);
  };
  note(
    'sessions without exactly one key',
    sessions.filter((s) => keysPerSession.get(s.id) !== 1).map((s) => s.id),
  );
  note(
    'keys mapped to no session of their user',
    stored.filter((k) => !sessionIds.has(k.sessionId)).map((k) => k.key),
  );
  note(
    'keys no client sent',
    stored.filter((k) => !sent.has(`${k.userId} ${k.key}`)).map((k) => k.key),
  );
  note(
    'keys answered with two sessions',
    keys
      .filter((k) => k.sessionIds.size > 1)
      .map((k) => `${k.key}: ${[...k.sessionIds].join(', ')}`),
  );
  const accepted = keys.filter((k) => k.outcome === 'accepted');
  note(
    'accepted keys whose stored session differs from the answer',
    accepted
      .filter((k) => byKey.get(`${k.userId} ${k.key}`) !== [...k.sessionIds][0])
      .map((k) => k.key),
  );
  const unanswered = keys.filter((k) => k.outcome === 'unanswered');
  const createdUnanswered = unanswered.filter((k) => byKey.has(`${k.userId} ${k.key}`)).length;
  const retried = keys.filter((k) => k.tries > 1).length;
  return {
    name: 'no key mapped to two sessions; every accepted key = its one session',
    facts:
      `${keys.length} keys sent (${retried} retried), ${accepted.length} accepted, ` +
      `${keys.length - accepted.length - unanswered.length} refused, ${unanswered.length} unanswered ` +
      `(${createdUnanswered} of those created a session); ${stored.length} keys stored`,
    violations,
  };
}

function clientsAgree(sessions: SessionRow[], seen: Map<string, SessionSeen>): Check {
  const stored = new Map(sessions.map((s) => [s.id, s]));
  const bad: string[] = [];
  let terminalSeen = 0;
  for (const [id, view] of seen) {
    const row = stored.get(id);
    if (!row) {
      bad.push(`${id} seen by a client, not stored`);
      continue;
    }
    if (view.status === 'COMPLETED' || view.status === 'FAILED') {
      terminalSeen++;
      if (row.status !== view.status) bad.push(`${id} seen ${view.status}, stored ${row.status}`);
    }
    const r = view.rewards;
    if (r && (r.xp !== row.xpGained || r.coins !== row.coinsGained || r.gems !== row.gemsGained)) {
      bad.push(
        `${id} seen ${r.xp}/${r.coins}/${r.gems}, stored ${row.xpGained}/${row.coinsGained}/${row.gemsGained}`,
      );
    }
  }
  return {
    name: 'what clients were shown = what is stored (status, rewards)',
    facts: `${seen.size} sessions seen by clients, ${terminalSeen} of them terminal`,
    violations: bad.length ? [`${bad.length} sessions: ${some(bad)}`] : [],
  };
}
