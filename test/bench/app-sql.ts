import { writeFile } from 'node:fs/promises';
import type pg from 'pg';
import { heuristicProvider } from '../../shared/ai/heuristic/provider.js';
import type { PreparedStatement } from '../../shared/db.js';
import { APPLY, applyPayload } from '../../shared/sessions/apply.js';
import type { StoredInput } from '../../shared/sessions/input.js';
import { CLAIM } from '../../shared/sessions/lifecycle.js';
import { scoreSubmission } from '../../shared/sessions/score.js';
import { SUBMIT } from '../../shared/sessions/submit.js';
import { checkpoint, runPgbench, type CeilingRun } from './ceiling.js';
import { CONVERSATION } from './load.js';

/**
 * The app's own database work, without the app: pgbench sends the three statements every session
 * costs (the submit, the claim, the `sg_apply_session` call), their texts imported from the app's
 * modules, for the ceiling's users, with the apply payload the worker builds for the bench's
 * conversation. Set beside the ceiling (the same rows as plain statements) and the app's own run,
 * it separates what the statements cost Postgres from what serving them from the app costs.
 */

/** pgbench expressions for each statement's $n parameters (:u and :sid are set per session). */
const SESSION = "('pgb-s-' || :sid::text)";
const USER = "('pgb-user-' || :u::text)";
const UUID = '(gen_random_uuid()::text)';
const PARAMS: [PreparedStatement, string[]][] = [
  [
    SUBMIT,
    [
      'NULL', // persona
      'NULL', // template
      USER,
      UUID, // key row id
      UUID, // Idempotency-Key
      "'POST /v1/practice/session'",
      'md5(random()::text)', // fingerprint
      SESSION,
      '24', // key TTL hours
      '1000000', // in-flight cap (not what is measured)
      "'TEXT'",
      ':input',
      'NULL', // topic
      UUID, // clip id
      'NULL',
      '0',
      'NULL',
      'false', // no clip
    ],
  ],
  [CLAIM, [SESSION, 'now()']],
  [APPLY, ["'5000ms'", SESSION, ':payload', 'now()']],
];

function scriptOf(): string {
  const statements = PARAMS.map(([statement, params]) =>
    statement.text.replace(/\$(\d+)/g, (_m, n: string) => {
      const value = params[Number(n) - 1];
      if (value === undefined) throw new Error(`${statement.name}: no value for $${n}`);
      return value;
    }),
  );
  return [
    '\\set u random(1, :users)',
    '\\set sid random(1, 9000000000000000000)',
    ...statements.map((s) => `${s.trim()};`),
    '',
  ].join('\n');
}

export interface AppSqlResult extends CeilingRun {
  durationSec: number;
}

/** Runs after measureCeiling (its users exist); one run at `clients`, after a CHECKPOINT. */
export async function measureAppSql(
  db: pg.Pool,
  databaseUrl: string,
  opts: { clients: number; durationSec: number; users: number; scriptFile: string },
): Promise<AppSqlResult> {
  const input: StoredInput = { mode: 'text', messages: CONVERSATION };
  const payload = applyPayload(input, await scoreSubmission(heuristicProvider, input, null));
  await writeFile(opts.scriptFile, scriptOf());
  const before = await completed(db);
  await checkpoint(db);
  const run = await runPgbench(databaseUrl, opts.clients, opts.durationSec, opts.scriptFile, {
    users: String(opts.users),
    input: JSON.stringify(input),
    payload: JSON.stringify(payload),
  });
  // Every pgbench session must have been applied, or the figure measures refusals.
  const applied = (await completed(db)) - before;
  if (applied < run.sessions) {
    throw new Error(`pgbench ran ${run.sessions} sessions of the app's SQL; ${applied} COMPLETED`);
  }
  return { ...run, durationSec: opts.durationSec };
}

async function completed(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM "PracticeSession" s
     WHERE s."id" LIKE 'pgb-s-%' AND s."status" = 'COMPLETED'
       AND EXISTS (SELECT 1 FROM "WalletLedgerEntry" l WHERE l."sessionId" = s."id")`,
  );
  return Number(rows[0]?.n ?? 0);
}
