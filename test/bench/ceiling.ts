import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { machineBusyMs } from './proc.js';

/**
 * The ceiling: the rows the app writes per session (submit, claim, apply), written by pgbench
 * straight to the same Postgres in the same run. The app's end-to-end rate is reported as a
 * ratio of it, so a noisy shared machine moves both numbers together.
 */

const SCRIPTS = ['submit.sql', 'claim-apply.sql'].map((f) => path.resolve('test/bench/pgbench', f));

export interface CeilingRun {
  clients: number;
  sessionsPerSec: number;
  sessions: number;
  /** CPU ms per session of the whole machine (Postgres, pgbench, anything else running). */
  machineCpuMsPerSession: number;
}

/** The best run (its clients, rate and sessions), and every run. */
export interface CeilingResult extends CeilingRun {
  durationSec: number;
  runs: CeilingRun[];
  /** Where the JSON payloads came from: a session the app completed in this run, or a stand-in. */
  payloadFrom: 'app-session' | 'stand-in';
}

/**
 * Starts a measured phase at the same point of Postgres's checkpoint cycle as every other: right
 * after a CHECKPOINT, every page's first change writes a full-page image to the WAL, which makes
 * the same work cost ~1.6× the CPU it costs late in the cycle (docs/performance.md). Without it,
 * the app's phase and the ceiling's runs land at random points of the 5-minute cycle. Needs a
 * superuser or pg_checkpoint; returns false (and the phases run as they come) when refused.
 */
export async function checkpoint(db: pg.Pool): Promise<boolean> {
  try {
    await db.query('CHECKPOINT');
    return true;
  } catch {
    return false;
  }
}

/** The server's next transaction id (taking one): deltas count write transactions. */
export async function transactionId(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
  return Number(rows[0]?.xid);
}

/** Users the pgbench scripts write for (`pgb-user-1…n`), with the wallet and stats signup makes. */
export async function createCeilingUsers(db: pg.Pool, count: number): Promise<void> {
  await db.query(
    `INSERT INTO "User" ("id", "email", "passwordHash", "updatedAt")
     SELECT 'pgb-user-' || g, 'pgb-user-' || g || '@example.com', 'not-a-hash', now()
     FROM generate_series(1, $1::int) g`,
    [count],
  );
  await db.query(
    `INSERT INTO "UserWallet" ("userId", "updatedAt") SELECT 'pgb-user-' || g, now()
     FROM generate_series(1, $1::int) g`,
    [count],
  );
  await db.query(
    `INSERT INTO "UserStats" ("userId", "updatedAt") SELECT 'pgb-user-' || g, now()
     FROM generate_series(1, $1::int) g`,
    [count],
  );
}

/** JSON columns as the app wrote them for one completed session, so the rows have its sizes. */
async function samplePayloads(db: pg.Pool) {
  const { rows } = await db.query<{ input: string; summary: string; core: string; traits: string }>(
    `SELECT s."input"::text AS input, s."aiSummary"::text AS summary,
            s."aiCorePayload"::text AS core, m."traits"::text AS traits
     FROM "PracticeSession" s JOIN "ChatMessage" m ON m."sessionId" = s."id" AND m."traits" IS NOT NULL
     WHERE s."status" = 'COMPLETED' LIMIT 1`,
  );
  const row = rows[0];
  if (row) return { ...row, from: 'app-session' as const };
  const standIn = JSON.stringify({ note: 'stand-in: no session completed in this run' });
  return {
    input: standIn,
    summary: standIn,
    core: standIn,
    traits: standIn,
    from: 'stand-in' as const,
  };
}

interface CeilingOptions {
  /** Client counts to try; the best rate is the ceiling (the DB's capacity, not one setting's). */
  clients: number[];
  durationSec: number;
  users: number;
  scriptFile: string;
}

/** pgbench at each client count for `durationSec`; one pgbench transaction = one session. */
export async function measureCeiling(
  db: pg.Pool,
  databaseUrl: string,
  opts: CeilingOptions,
): Promise<CeilingResult> {
  await createCeilingUsers(db, opts.users);
  const payload = await samplePayloads(db);
  // pgbench picks one -f script per transaction at random; concatenated, the two run in order
  // and share :u and :sid.
  const script = (await Promise.all(SCRIPTS.map((f) => readFile(f, 'utf8')))).join('\n');
  await writeFile(opts.scriptFile, script);
  const runs: CeilingRun[] = [];
  for (const clients of opts.clients) {
    await checkpoint(db);
    runs.push(
      await runPgbench(databaseUrl, clients, opts.durationSec, opts.scriptFile, {
        users: String(opts.users),
        input: payload.input,
        summary: payload.summary,
        core: payload.core,
        traits: payload.traits,
      }),
    );
  }
  const sessions = runs.reduce((a, r) => a + r.sessions, 0);
  // A script that matched no rows would "succeed" quickly: check that the sessions really landed.
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM "PracticeSession" s
     WHERE s."id" LIKE 'pgb-s-%' AND s."status" = 'COMPLETED'
       AND EXISTS (SELECT 1 FROM "WalletLedgerEntry" l WHERE l."sessionId" = s."id")`,
  );
  if (Number(rows[0]?.n ?? 0) < sessions) {
    throw new Error(`pgbench reported ${sessions} sessions but ${rows[0]?.n ?? 0} are COMPLETED`);
  }
  const best = runs.reduce((a, b) => (b.sessionsPerSec > a.sessionsPerSec ? b : a));
  return { ...best, durationSec: opts.durationSec, payloadFrom: payload.from, runs };
}

/** One pgbench run of `scriptFile` (one pgbench transaction = one session), with its CPU. */
export async function runPgbench(
  databaseUrl: string,
  clients: number,
  durationSec: number,
  scriptFile: string,
  defines: Record<string, string>,
): Promise<CeilingRun> {
  const args = [
    '--no-vacuum',
    // Prepared: variables travel as parameters, so the JSON needs no quoting.
    '--protocol=prepared',
    `--client=${clients}`,
    `--jobs=${Math.min(clients, 2)}`,
    `--time=${durationSec}`,
    ...Object.entries(defines).map(([name, value]) => `--define=${name}=${value}`),
    `--file=${scriptFile}`,
    databaseUrl,
  ];
  const busy0 = machineBusyMs();
  const { stdout } = await promisify(execFile)('pgbench', args, { maxBuffer: 1 << 20 }).catch(
    (err: unknown) => {
      const e = err as { stderr?: string; message: string };
      throw new Error(`pgbench failed: ${e.stderr ?? e.message}`);
    },
  );
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
  const done = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
  if (!tps || !done) throw new Error(`unexpected pgbench output:\n${stdout}`);
  const sessions = Number(done);
  return {
    clients,
    sessionsPerSec: Math.round(Number(tps) * 10) / 10,
    sessions,
    machineCpuMsPerSession: (machineBusyMs() - busy0) / Math.max(1, sessions),
  };
}

/** The most the app can reach on this machine, from CPU per session measured in the same run. */
export interface Bound {
  /** Framework floor + the ceiling's database work, machine CPU ms per session. */
  cpuMsPerSession: number;
  sessionsPerSec: number;
  /** sessionsPerSec ÷ the ceiling: the best end-to-end / ceiling ratio this stack can show here. */
  ratio: number;
}

/**
 * Every session costs at least the framework floor's CPU (HTTP, JWT, zod, BullMQ, Redis, the load
 * generator) plus the database work the ceiling measured (Postgres, as pgbench drove it), and all
 * of it shares the machine's cores: cores × 1000 ÷ (floor + ceiling) ms is an upper bound on
 * sessions/s, before the app's own work (scoring, queries through Prisma, payloads) is counted.
 */
export function boundOf(
  floor: { machineCpuMsPerSession: number },
  ceiling: CeilingResult,
  cores: number,
): Bound {
  const best = ceiling.runs.find((r) => r.clients === ceiling.clients) ?? ceiling;
  const cpuMsPerSession = floor.machineCpuMsPerSession + best.machineCpuMsPerSession;
  const sessionsPerSec = (cores * 1000) / cpuMsPerSession;
  return {
    cpuMsPerSession: Math.round(cpuMsPerSession * 100) / 100,
    sessionsPerSec: Math.round(sessionsPerSec * 10) / 10,
    ratio: Math.round((sessionsPerSec / ceiling.sessionsPerSec) * 100) / 100,
  };
}
