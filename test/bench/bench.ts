/**
 * End-to-end benchmark of the practice pipeline on this machine (issue 8). Starts the built API and
 * N worker processes against a fresh database and queue prefix, drives them over loopback, checks
 * that every accepted session was scored exactly once, measures a direct-SQL ceiling in the same
 * run, prints one table and writes bench-results/bench-<timestamp>.json. Removes everything it
 * created (processes, database, Redis keys) at the end, also on failure or Ctrl-C.
 *
 *   npm run bench -- [--workers=1] [--clients=32] [--rates=150,300] [--smoke] [--profile] …
 *
 * Flags (or BENCH_<FLAG> variables) are listed in options.ts. App settings from the environment
 * (WORKER_CONCURRENCY, JOB_LOCK_MS…) pass through to the processes; the bench fixes only what it
 * must (database, prefix, port, rate limits, bcrypt cost, log level).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import { boundOf, checkpoint, measureCeiling, type CeilingResult } from './ceiling.js';
import { measureAppSql, type AppSqlResult } from './app-sql.js';
import { measureFloor, type FloorResult } from './floor.js';
import { exactlyOnceViolations, waitCompleted } from './checks.js';
import { printProfiles } from './cpuprofile.js';
import { closedLoop, countOf, login, openLoop, submitSession, type LoadResult } from './load.js';
import { parseOptions } from './options.js';
import { peakRssMiB } from './proc.js';
import { startSessionWindow } from './window.js';
import { printTable, summarize, writeJson, type EndToEnd, type PhaseSummary } from './report.js';
import { assertAlive, benchSettings, harnessConfig, startStack, type Stack } from './stack.js';
import { signupUsers, useProductionCost } from './users.js';

const options = parseOptions(process.argv.slice(2), process.env);
const base = harnessConfig();
const startedAt = new Date();
const runId = `${startedAt.getTime().toString(36)}${randomBytes(2).toString('hex')}`;
const resultsDir = path.resolve('bench-results');
const profileDir = path.join(resultsDir, 'profiles', runId);
/** Users whose hash gets production cost for the login burst (one shared password). */
const LOGIN_USERS = 10;

if (options.build) {
  console.error('building (npm run build)…');
  execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const loadavgAtStart = os.loadavg();
console.error(`starting API + ${options.workers} worker(s), run ${runId}…`);
const stack: Stack = await startStack(
  {
    baseDatabaseUrl: base.DATABASE_URL,
    redisUrl: base.REDIS_URL,
    workers: options.workers,
    inheritedEnv: process.env,
    settings: benchSettings(),
    nodeFlags: options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    logDir: path.join(resultsDir, 'logs', runId),
  },
  runId,
);

/** One cleanup however many times it is asked for (signal, error, normal end): all wait for it. */
let cleanup: Promise<void> | null = null;
const teardown = () => {
  if (!cleanup) {
    console.error('cleaning up (processes, database, Redis keys)…');
    cleanup = stack.teardown();
  }
  return cleanup;
};
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  // Ctrl-C or a CI timeout: still stop the processes and drop what the run created. `on`, not
  // `once`: Ctrl-C reaches us twice (from the terminal and relayed by tsx), and a second signal
  // with no handler would kill the bench half-way through the cleanup.
  process.on(signal, () => {
    void teardown().finally(() => process.exit(code));
  });
}

const db = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
/** One client pool per phase, closed after it, so phases do not share warm connections. */
async function withPool<T>(connections: number, run: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool(stack.baseUrl, {
    connections,
    pipelining: 1,
    connectTimeout: 10_000,
    // A server far behind still answers eventually; the open loop counts that delay.
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  try {
    return await run(pool);
  } finally {
    await pool.close();
  }
}

let exitCode = 0;
try {
  const users = await withPool(16, (pool) => signupUsers(pool, options.users, runId));
  const userIds = users.map((u) => u.id);
  const pids = Object.fromEntries([stack.api, ...stack.workers].map((p) => [p.name, p.pid]));
  const phases: PhaseSummary[] = [];
  const problems: string[] = [];
  let accepted = 0;
  /** Submits answered 5xx (not 503) or not at all: each may or may not have created a session. */
  let ambiguous = 0;
  /** Waits for every session accepted so far to be COMPLETED; a missed deadline is a problem. */
  const drain = async (after: string) => {
    const deadline = options.drainTimeoutSec * 1000;
    const result = await waitCompleted(db, userIds, accepted, deadline);
    if (result.at === null) {
      problems.push(
        `after ${after}: ${result.counts.completed}/${accepted} COMPLETED, ${result.counts.failed} FAILED at the drain deadline`,
      );
    }
    assertAlive(stack);
    return result.at;
  };
  const record = (phase: string, offered: string, r: LoadResult) => {
    const summary = summarize(phase, offered, r);
    accepted += countOf(r, 202);
    ambiguous += summary.s5xx + summary.connErrors;
    phases.push(summary);
  };

  // 1 + 3 + 4: closed-loop submits, then until the workers have completed all of them.
  console.error(`closed loop: ${options.clients} clients for ${options.closedSec} s…`);
  const checkpointed = await checkpoint(db);
  const window = await startSessionWindow(db, pids);
  const t0 = performance.now();
  const closed = await withPool(options.clients, (pool) =>
    closedLoop(users, options.clients, options.closedSec * 1000, submitSession(pool)),
  );
  record('closed-loop submit', `${options.clients} clients`, closed);
  const doneAt = await drain('the closed loop');
  const closedAccepted = countOf(closed, 202);
  const { cpuMsPerSession, machineCpuMsPerSession, writeTransactionsPerSession } =
    await window.stop(closedAccepted);
  const seconds = ((doneAt ?? performance.now()) - t0) / 1000;
  const endToEnd: EndToEnd = {
    sessions: closedAccepted,
    seconds: Math.round(seconds * 10) / 10,
    sessionsPerSec: Math.round((closedAccepted / seconds) * 10) / 10,
    drained: doneAt !== null,
    writeTransactionsPerSession,
  };

  if (!options.profile) {
    // 2: open loop at each rate, each starting from an empty queue.
    for (const rate of options.rates) {
      console.error(`open loop: ${rate} req/s for ${options.openSec} s…`);
      const open = await withPool(options.maxConnections, (pool) =>
        openLoop(users, rate, options.openSec * 1000, submitSession(pool)),
      );
      record('open-loop submit', `${rate} req/s`, open);
      await drain(`open loop at ${rate} req/s`);
    }
    // 6: submits at a modest rate while logins (bcrypt at production cost) arrive in a burst.
    if (options.loginRate > 0) {
      console.error(
        `login burst: ${options.loginRate} logins/s beside ${options.loginSubmitRate} submits/s…`,
      );
      const loginUsers = await useProductionCost(
        db,
        users.slice(0, LOGIN_USERS),
        options.loginCost,
      );
      const ms = options.loginSec * 1000;
      const [submits, logins] = await withPool(options.maxConnections, (pool) =>
        Promise.all([
          openLoop(users, options.loginSubmitRate, ms, submitSession(pool)),
          openLoop(loginUsers, options.loginRate, ms, login(pool)),
        ]),
      );
      record('submit during login burst', `${options.loginSubmitRate} req/s`, submits);
      phases.push(
        summarize(`  login (bcrypt ${options.loginCost})`, `${options.loginRate} req/s`, logins),
      );
      await drain('the login burst');
    }
  }

  // Peaks are read before the processes go; the ceiling then gets the machine to itself.
  const peakRss = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, peakRssMiB(pid)]));
  const violations = [
    ...problems,
    ...(await exactlyOnceViolations(db, userIds, accepted, ambiguous)),
  ];
  await stack.stopProcesses();
  let ceiling: CeilingResult | null = null;
  if (!options.profile) {
    console.error(
      `ceiling: pgbench, ${options.ceilingClients.join(' and ')} clients, ${options.ceilingSec} s each…`,
    );
    ceiling = await measureCeiling(db, stack.databaseUrl, {
      clients: options.ceilingClients,
      durationSec: options.ceilingSec,
      users: options.users,
      scriptFile: path.join(resultsDir, 'logs', runId, 'ceiling.sql'),
    });
  }
  let appSql: AppSqlResult | null = null;
  if (ceiling) {
    const clients = ceiling.clients;
    console.error(`the app's statements by pgbench: ${clients} clients, ${options.ceilingSec} s…`);
    appSql = await measureAppSql(db, stack.databaseUrl, {
      clients,
      durationSec: options.ceilingSec,
      users: options.users,
      scriptFile: path.join(resultsDir, 'logs', runId, 'app-sql.sql'),
    });
  }
  let floor: FloorResult | null = null;
  if (!options.profile && options.floorSec > 0) {
    console.error(`framework floor: ${options.clients} clients for ${options.floorSec} s…`);
    floor = await measureFloor({
      redisUrl: base.REDIS_URL,
      queuePrefix: `${stack.queuePrefix}-floor`,
      env: { ...process.env, ...benchSettings() },
      users: users.slice(0, Math.max(options.clients, 1)),
      clients: options.clients,
      seconds: options.floorSec,
      logDir: path.join(resultsDir, 'logs', runId),
    });
  }
  const report = {
    runId,
    startedAt: startedAt.toISOString(),
    machine: {
      cpus: os.cpus().length,
      /** Whether each measured phase (closed loop, each pgbench run) began right after a CHECKPOINT. */
      checkpointed,
      loadavgAtStart,
      loadavgAtEnd: os.loadavg(),
      node: process.version,
    },
    options,
    phases,
    endToEnd,
    cpuMsPerSession,
    machineCpuMsPerSession,
    peakRssMiB: peakRss,
    ceiling,
    ratio: ceiling
      ? Math.round((endToEnd.sessionsPerSec / ceiling.sessionsPerSec) * 100) / 100
      : null,
    appSql,
    floor,
    bound: floor && ceiling ? boundOf(floor, ceiling, os.cpus().length) : null,
    exactlyOnce: { sessions: accepted, unanswered: ambiguous, violations },
  };
  printTable(report);
  console.log(`JSON: ${writeJson(report, resultsDir)}`);
  if (violations.length > 0) exitCode = 1;
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await db.end();
  await teardown();
}
if (options.profile) {
  console.log(
    `profiles: ${[stack.api, ...stack.workers].map((p) => `${p.name} = pid ${p.pid}`).join(', ')}`,
  );
  printProfiles(profileDir);
}
process.exit(exitCode);
