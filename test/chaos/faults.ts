import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { ChaosLoad } from './client.js';
import type { Fleet } from './fleet.js';
import type { Postgres, RedisServer } from './services.js';

/**
 * The four faults of a chaos run and the recovery check after each. A fault returns what it found
 * wrong while it ran (an API that did not answer its long-polls, a non-zero exit…); the recovery
 * check then requires the API ready again and scoring resumed (a session completed after the
 * fault ended) within a deadline.
 */

export interface FaultContext {
  fleet: Fleet;
  postgres: Postgres;
  redis: RedisServer;
  load: ChaosLoad;
  /** The chaos run's own connection to the app's database (survives the Postgres restart). */
  db: pg.Pool;
  /** How long Redis and Postgres stay down. */
  outageMs: number;
  /** Longest wait for the API to be ready and a session to complete after a fault. */
  recoveryMs: number;
  log: (what: string) => void;
}

export interface Fault {
  name: string;
  run: (ctx: FaultContext, round: number) => Promise<string[]>;
}

/** A long-poll waiting at SIGTERM must be answered (with the current view) within this. */
const SIGTERM_ANSWER_MS = 2000;
/** Long-polls wanted in flight before the API is SIGTERMed (fewer if there are fewer clients). */
const WANTED_POLLS = 8;
const POLLS_DEADLINE_MS = 15_000;

export const FAULTS: Fault[] = [
  {
    name: 'worker SIGKILL',
    run: async (ctx, round) => {
      const slot = (round - 1) % ctx.fleet.workers.length;
      const others = ctx.fleet.workers.map((_p, i) => i).filter((i) => i !== slot);
      // The victim alone works the backlog off, so the sessions PROCESSING are its own.
      await hold(ctx);
      ctx.fleet.pauseWorkers(false, [slot]);
      try {
        const busy = await processingSoon(ctx.db);
        const killed = await ctx.fleet.killWorker(slot);
        ctx.log(`SIGKILL ${killed.name} (pid ${killed.pid}) with ${busy} session(s) PROCESSING`);
      } finally {
        ctx.fleet.pauseWorkers(false, others);
      }
      await sleep(1000);
      const started = ctx.fleet.restartWorker(slot);
      ctx.log(`started ${started.name} in its place`);
      return [];
    },
  },
  {
    name: 'Redis restarted empty',
    run: async (ctx) => {
      await hold(ctx);
      try {
        const open = await unfinished(ctx.db);
        await ctx.redis.kill();
        ctx.log(`SIGKILL redis-server with ${open} session(s) unfinished: their jobs are lost`);
      } finally {
        ctx.fleet.pauseWorkers(false);
      }
      await sleep(ctx.outageMs);
      await ctx.redis.start();
      ctx.log(`redis-server started again, empty, on port ${ctx.redis.port}`);
      return [];
    },
  },
  {
    name: 'Postgres restarted',
    run: async (ctx) => {
      await hold(ctx);
      try {
        const open = await unfinished(ctx.db);
        await ctx.postgres.stop();
        ctx.log(`pg_ctl stop -m fast with ${open} session(s) unfinished: connections terminated`);
      } finally {
        // The workers meet the outage with a backlog in hand: their attempts fail and retry.
        ctx.fleet.pauseWorkers(false);
      }
      await sleep(ctx.outageMs);
      await ctx.postgres.start();
      ctx.log(`pg_ctl start: Postgres accepting connections on port ${ctx.postgres.port}`);
      return [];
    },
  },
  { name: 'API SIGTERM during long-polls', run: sigtermApi },
];

/**
 * Sessions finish within milliseconds under this load, so a fault at a random instant often hits
 * idle workers. Freezing them (SIGSTOP) for a moment — below the job lock, so the freeze itself
 * stalls nothing — lets submits pile up; the fault then lands on that backlog. The caller thaws.
 */
const HOLD_MS = 1000;

async function hold(ctx: FaultContext): Promise<void> {
  ctx.fleet.pauseWorkers(true);
  await sleep(HOLD_MS);
  ctx.log(`workers frozen (SIGSTOP) for ${HOLD_MS} ms so that a backlog waits`);
}

/** Sessions PROCESSING, once some are (or after a short wait). */
async function processingSoon(db: pg.Pool): Promise<number> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "PracticeSession" WHERE "status" = 'PROCESSING'`,
    );
    const n = rows[0]?.n ?? 0;
    if (n > 0 || Date.now() > deadline) return n;
    await sleep(5);
  }
}

/**
 * A deploy: the API gets SIGTERM while long-polls wait. The workers are frozen (SIGSTOP) first so
 * the polled sessions cannot finish and the polls really wait; every one must then be answered at
 * once, the API must exit 0, and a new API starts on the same port.
 */
async function sigtermApi(ctx: FaultContext): Promise<string[]> {
  const violations: string[] = [];
  ctx.fleet.pauseWorkers(true);
  ctx.log('SIGSTOP every worker so that long-polls wait');
  try {
    const deadline = Date.now() + POLLS_DEADLINE_MS;
    const wanted = Math.min(WANTED_POLLS, ctx.load.followers);
    while (ctx.load.waitingPolls().length < wanted && Date.now() < deadline) {
      await sleep(50);
    }
    const waiting = ctx.load.waitingPolls();
    if (waiting.length === 0) return ['no long-poll was waiting: the fault was not exercised'];
    const t0 = performance.now();
    const exit = ctx.fleet.terminateApi();
    ctx.log(`SIGTERM ${ctx.fleet.api.name} with ${waiting.length} long-polls waiting`);
    const ends = await Promise.all(waiting);
    const slowest = Math.max(...ends.map((e) => e.at - t0));
    const answers: Record<string, number> = {};
    for (const e of ends) answers[e.answer] = (answers[e.answer] ?? 0) + 1;
    ctx.log(`long-polls answered within ${Math.round(slowest)} ms: ${JSON.stringify(answers)}`);
    const notOk = ends.filter((e) => e.answer !== '200').length;
    if (notOk > 0) violations.push(`${notOk} waiting long-polls got no 200 at SIGTERM`);
    if (slowest > SIGTERM_ANSWER_MS) {
      violations.push(`a waiting long-poll was answered ${Math.round(slowest)} ms after SIGTERM`);
    }
    const { code, signal } = await exit;
    ctx.log(`API exited ${code ?? signal} after ${Math.round(performance.now() - t0)} ms`);
    if (code !== 0) violations.push(`the API exited with ${code ?? signal} on SIGTERM`);
    await ctx.fleet.restartApi();
    ctx.log(`started ${ctx.fleet.api.name} on the same port`);
  } finally {
    ctx.fleet.pauseWorkers(false);
    ctx.log('SIGCONT every worker');
  }
  return violations;
}

async function unfinished(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "PracticeSession" WHERE "status" IN ('QUEUED', 'PROCESSING')`,
  );
  return rows[0]?.n ?? 0;
}

async function completed(db: pg.Pool): Promise<number | null> {
  try {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "PracticeSession" WHERE "status" = 'COMPLETED'`,
    );
    return rows[0]?.n ?? 0;
  } catch {
    return null;
  }
}

/**
 * After a fault: the API answers /v1/health/ready and a session completes that had not before,
 * both within the deadline; the times are logged, a miss is a violation.
 */
export async function awaitRecovery(ctx: FaultContext, fault: string): Promise<string[]> {
  const t0 = performance.now();
  const deadline = t0 + ctx.recoveryMs;
  let before: number | null = null;
  while (before === null && performance.now() < deadline) {
    before = await completed(ctx.db);
    if (before === null) await sleep(100);
  }
  let readyAt: number | null = null;
  let resumedAt: number | null = null;
  while ((readyAt === null || resumedAt === null) && performance.now() < deadline) {
    if (readyAt === null) {
      const ok = await fetch(`${ctx.fleet.baseUrl}/v1/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) readyAt = performance.now();
    }
    if (resumedAt === null && before !== null) {
      const now = await completed(ctx.db);
      if (now !== null && now > before) resumedAt = performance.now();
    }
    await sleep(100);
  }
  const secs = (at: number | null) =>
    at === null ? 'never' : `${((at - t0) / 1000).toFixed(1)} s`;
  ctx.log(`recovered: ready after ${secs(readyAt)}, scoring resumed after ${secs(resumedAt)}`);
  const violations: string[] = [];
  const limit = `${ctx.recoveryMs / 1000} s`;
  if (readyAt === null) violations.push(`API not ready within ${limit} after ${fault}`);
  if (resumedAt === null) violations.push(`no session completed within ${limit} after ${fault}`);
  const dead = ctx.fleet.deadNow().map((p) => p.name);
  if (dead.length > 0) violations.push(`not running after ${fault}: ${dead.join(', ')}`);
  return violations;
}
