import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';

/**
 * The ceiling: the rows the app writes per session (submit, claim, apply), written by pgbench
 * straight to the same Postgres in the same run. The app's end-to-end rate is reported as a
 * ratio of it, so a noisy shared machine moves both numbers together.
 */

const SCRIPTS = ['submit.sql', 'claim-apply.sql'].map((f) => path.resolve('test/bench/pgbench', f));

export interface CeilingResult {
  sessionsPerSec: number;
  sessions: number;
  clients: number;
  durationSec: number;
  /** Where the JSON payloads came from: a session the app completed in this run, or a stand-in. */
  payloadFrom: 'app-session' | 'stand-in';
}

/** Users the pgbench scripts write for (`pgb-user-1…n`), with the wallet and stats signup makes. */
async function createCeilingUsers(db: pg.Pool, count: number): Promise<void> {
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

/** Runs pgbench for `durationSec` with `clients` connections; one pgbench transaction = 1 session. */
export async function measureCeiling(
  db: pg.Pool,
  databaseUrl: string,
  opts: { clients: number; durationSec: number; users: number; scriptFile: string },
): Promise<CeilingResult> {
  await createCeilingUsers(db, opts.users);
  const payload = await samplePayloads(db);
  // pgbench picks one -f script per transaction at random; concatenated, the two run in order
  // and share :u and :sid.
  const script = (await Promise.all(SCRIPTS.map((f) => readFile(f, 'utf8')))).join('\n');
  await writeFile(opts.scriptFile, script);
  const args = [
    '--no-vacuum',
    // Prepared: variables travel as parameters (the JSON needs no quoting), plans are reused as
    // Prisma's driver adapter does with named statements.
    '--protocol=prepared',
    `--client=${opts.clients}`,
    `--jobs=${Math.min(opts.clients, 2)}`,
    `--time=${opts.durationSec}`,
    `--define=users=${opts.users}`,
    `--define=input=${payload.input}`,
    `--define=summary=${payload.summary}`,
    `--define=core=${payload.core}`,
    `--define=traits=${payload.traits}`,
    `--file=${opts.scriptFile}`,
    databaseUrl,
  ];
  const { stdout } = await promisify(execFile)('pgbench', args, { maxBuffer: 1 << 20 }).catch(
    (err: unknown) => {
      const e = err as { stderr?: string; message: string };
      throw new Error(`pgbench failed: ${e.stderr ?? e.message}`);
    },
  );
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
  const done = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
  if (!tps || !done) throw new Error(`unexpected pgbench output:\n${stdout}`);
  // A script that matched no rows would "succeed" quickly: check that the sessions really landed.
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM "PracticeSession" s
     WHERE s."id" LIKE 'pgb-s-%' AND s."status" = 'COMPLETED'
       AND EXISTS (SELECT 1 FROM "WalletLedgerEntry" l WHERE l."sessionId" = s."id")`,
  );
  if (Number(rows[0]?.n ?? 0) < Number(done)) {
    throw new Error(`pgbench reported ${done} sessions but ${rows[0]?.n ?? 0} are COMPLETED`);
  }
  return {
    sessionsPerSec: Number(tps),
    sessions: Number(done),
    clients: opts.clients,
    durationSec: opts.durationSec,
    payloadFrom: payload.from,
  };
}
