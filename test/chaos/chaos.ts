/**
 * Chaos run (issue 10): the built API and N workers over a Postgres cluster and a Redis server of
 * their own (free ports, a temporary directory; the shared 5432/6379 are never touched), under a
 * mixed load of app-like clients, while faults happen one after another — a worker SIGKILLed,
 * Redis killed and restarted empty, Postgres restarted, the API SIGTERMed during long-polls. Then
 * the load stops, every session must settle, and the invariants are checked per user with SQL.
 * Prints the timeline, the answers, the faults and each invariant; exits 1 on any violation.
 * Removes what it started (processes, servers, temporary directory) also on failure or Ctrl-C;
 * the processes' logs stay in bench-results/chaos/<run>/.
 *
 *   npm run chaos -- [--smoke] [--no-build] [--workers=2] [--users=24] [--rounds=2] …
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Pool } from 'undici';
import { migrate } from '../../prisma/migrator.js';
import { benchSettings, freePort } from '../bench/stack.js';
import { signupUsers } from '../bench/users.js';
import { ChaosLoad, POLL_WAIT_MS } from './client.js';
import { awaitRecovery, FAULTS, type FaultContext } from './faults.js';
import { Fleet } from './fleet.js';
import { checkInvariants } from './invariants.js';
import { parseChaosOptions } from './options.js';
import { printReport, type FaultOutcome } from './report.js';
import { startPostgres, startRedis, type Postgres, type RedisServer } from './services.js';

const options = parseChaosOptions(process.argv.slice(2), process.env);
const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const logDir = path.resolve('bench-results', 'chaos', runId);
mkdirSync(logDir, { recursive: true });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sg-chaos-'));
const t0 = performance.now();
const timeline: string[] = [];
const log = (what: string) => {
  const entry = `+${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${what}`;
  timeline.push(entry);
  console.error(entry);
};

/** What the chaos settings change from a bench run; see README "Chaos run". */
function appEnv(databaseUrl: string, redisUrl: string): Record<string, string> {
  return {
    // Only what the processes need: nothing from this shell can point them at shared services.
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...benchSettings(),
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: '{chaos}',
    WORKER_METRICS_PORT: '0',
    WORKER_CONCURRENCY: '4',
    RATE_LIMIT_SUBMITS_PER_USER: '1000000',
    RATE_LIMIT_READS_PER_USER: '1000000',
    // Recovery within seconds instead of half a minute: stalled jobs are noticed after the lock
    // (3 s) and sessions without a job are re-enqueued once 3 s old (the sweep runs every 5 s).
    JOB_LOCK_MS: '3000',
    SWEEP_QUEUED_AFTER_SEC: '3',
  };
}

let postgres: Postgres | null = null;
let redis: RedisServer | null = null;
let fleet: Fleet | null = null;
let db: pg.Pool | null = null;
let client: Pool | null = null;

/** One teardown however many times it is asked for (signal, error, normal end). */
let cleanup: Promise<void> | null = null;
const teardown = () => {
  cleanup ??= (async () => {
    console.error('cleaning up (processes, Redis, Postgres, temporary directory)…');
    await client?.destroy().catch(() => undefined);
    await fleet?.destroy();
    await db?.end().catch(() => undefined);
    await redis?.destroy();
    await postgres?.destroy();
    rmSync(tmp, { recursive: true, force: true });
  })();
  return cleanup;
};
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    void teardown().finally(() => process.exit(code));
  });
}

/** Waits until no session is QUEUED or PROCESSING; returns the number still open at the end. */
async function settle(pool: pg.Pool, deadlineMs: number): Promise<number> {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    const open = await pool
      .query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "PracticeSession" WHERE "status" IN ('QUEUED', 'PROCESSING')`,
      )
      .then((r) => r.rows[0]?.n ?? 0);
    if (open === 0 || performance.now() > deadline) return open;
    await sleep(250);
  }
}

let exitCode = 1;
try {
  if (options.build) {
    console.error('building (npm run build)…');
    execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const [pgPort, redisPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  postgres = await startPostgres(tmp, pgPort);
  log(`Postgres started on 127.0.0.1:${pgPort} (initdb in ${tmp})`);
  redis = await startRedis(tmp, redisPort);
  log(`redis-server started on 127.0.0.1:${redisPort}`);
  const databaseUrl = postgres.url.replace(/\/postgres$/, '/socialgym_chaos');
  await migrate(databaseUrl);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // Idle connections die with the Postgres restart: an unhandled 'error' would end the run.
  db.on('error', () => undefined);
  fleet = await Fleet.start(appEnv(databaseUrl, redis.url), logDir, apiPort, options.workers);
  log(`API and ${options.workers} workers ready on ${fleet.baseUrl}`);
  client = new Pool(fleet.baseUrl, {
    connections: options.users * 2,
    connectTimeout: 5000,
    headersTimeout: POLL_WAIT_MS + 20_000,
    bodyTimeout: POLL_WAIT_MS + 20_000,
  });
  const users = await signupUsers(client, options.users, runId);
  const userIds = users.map((u) => u.id);
  const load = new ChaosLoad(client);
  load.start(users);
  log(
    `load started: ${users.length} clients, ${load.followers} of them long-polling their sessions`,
  );
  await sleep(options.warmupSec * 1000);

  const ctx: FaultContext = {
    fleet,
    postgres,
    redis,
    load,
    db,
    outageMs: options.outageSec * 1000,
    recoveryMs: options.recoverySec * 1000,
    log,
  };
  const faults: FaultOutcome[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const fault of FAULTS) {
      log(`▶ ${fault.name} (round ${round})`);
      const found = await fault.run(ctx, round);
      found.push(...(await awaitRecovery(ctx, fault.name)));
      faults.push({ name: fault.name, round, violations: found });
      await sleep(options.settleSec * 1000);
    }
  }

  log('stopping the load (unanswered submits are retried a while longer)');
  await load.stop(options.drainSec * 1000);
  const open = await settle(db, options.settleTimeoutSec * 1000);
  log(open === 0 ? 'every session settled' : `${open} sessions still open at the deadline`);
  const checks = await checkInvariants(db, userIds, load.keys, load.sessions);
  const violations = printReport({
    header:
      `chaos run ${runId}${options.smoke ? ' (smoke)' : ''}: API + ${options.workers} workers, ` +
      `${options.users} clients, ${options.rounds} round(s) of ${FAULTS.length} faults, ` +
      `own Postgres :${pgPort} and Redis :${redisPort}`,
    timeline,
    answers: load.answers,
    clientProblems: load.problems,
    faults,
    checks,
    processes: fleet.started,
    unexpectedExits: fleet.unexpected,
    logDir,
  });
  exitCode = violations === 0 ? 0 : 1;
} catch (err) {
  console.error(err);
  console.error(`logs: ${logDir}`);
  exitCode = 1;
} finally {
  await teardown();
}
process.exit(exitCode);
