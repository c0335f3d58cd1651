import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../prisma/migrator.js';
import { parseConfig, type Config } from '../../shared/config.js';
import { Redis } from 'ioredis';

/**
 * The system under test, started from the built code exactly as the Procfile starts it: one API
 * process and N worker processes against a database and a queue prefix of their own.
 */

export interface StackOptions {
  /** The server's URL; the bench database is created next to the database it names. */
  baseDatabaseUrl: string;
  redisUrl: string;
  workers: number;
  /** Environment every process inherits (PATH, NODE_OPTIONS…); settings below override it. */
  inheritedEnv: Record<string, string | undefined>;
  /** Settings for both processes (rate limits, bcrypt cost…), on top of the bench's own. */
  settings: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags: string[];
  /** Directory for each process's stdout/stderr. */
  logDir: string;
}

export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
}

export interface Stack {
  databaseUrl: string;
  queuePrefix: string;
  baseUrl: string;
  api: Proc;
  workers: Proc[];
  /** Stops the API and the workers (SIGTERM, then SIGKILL); the database stays. */
  stopProcesses(): Promise<void>;
  /** Stops every process (SIGTERM, then SIGKILL), drops the database and the prefix's Redis keys. */
  teardown(): Promise<void>;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Starts a built entry point (`dist/…`) with its stdout and stderr in `<logDir>/<name>.log`. */
export function startProcess(
  name: string,
  script: string,
  env: Record<string, string | undefined>,
  opts: Pick<StackOptions, 'logDir' | 'nodeFlags'>,
): Proc {
  const logFile = path.join(opts.logDir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...opts.nodeFlags, script], {
    env,
    stdio: ['ignore', fd, fd],
  });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  return { name, pid: child.pid, child, logFile };
}

export const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;

/** Last lines of a process's log, for an error message. */
export function logTail(p: Proc, lines = 15): string {
  try {
    return readFileSync(p.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Waits until the API answers /v1/health/ready (Postgres and Redis reachable). */
export async function waitReady(baseUrl: string, procs: Proc[], deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const dead = procs.find((p) => !alive(p));
    if (dead) throw new Error(`${dead.name} exited at start:\n${logTail(dead)}`);
    const ok = await fetch(`${baseUrl}/v1/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`API not ready after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopProcess(p: Proc): Promise<void> {
  if (!alive(p)) return;
  const exited = once(p.child, 'exit');
  p.child.kill('SIGTERM');
  // The processes force-quit after 15 s themselves; a little more, then no more waiting.
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function dropDatabase(baseDatabaseUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(baseDatabaseUrl, 'postgres') });
  await admin.connect();
  try {
    // FORCE (PostgreSQL 13+) ends connections a killed process may have left behind.
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    // Braces are not glob characters in Redis MATCH; only the prefix's own keys match.
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 })) {
      const batch = keys as string[];
      if (batch.length > 0) await redis.unlink(...batch);
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * The harness's own settings (which Postgres and Redis to use). It signs no tokens, so it parses
 * as development whatever NODE_ENV says; the stack it starts runs as production.
 */
export function harnessConfig(): Config {
  return parseConfig({ ...process.env, NODE_ENV: 'development' });
}

/** What every bench run fixes in the app's settings; the rest passes through from the environment. */
export function benchSettings(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'error',
    // Quick signups of hundreds of users; the login burst uses production-cost hashes anyway.
    BCRYPT_ROUNDS: '4',
    ACCESS_TOKEN_TTL: '2h',
    // Every request comes from 127.0.0.1: per-IP limits would measure themselves.
    RATE_LIMIT_SIGNUP_PER_IP: '1000000',
    RATE_LIMIT_LOGIN_PER_IP: '1000000',
    RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '1000000',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000000',
    RATE_LIMIT_REFRESH_PER_IP: '1000000',
    SCORING_PROVIDER: 'heuristic',
    TRANSCRIPTION_PROVIDER: 'none',
  };
}

/**
 * Creates and migrates a fresh database, then starts the API and the workers. Whatever fails
 * half-way is torn down before the error is rethrown, so a failed start leaves nothing behind.
 */
export async function startStack(opts: StackOptions, runId: string): Promise<Stack> {
  mkdirSync(opts.logDir, { recursive: true });
  const dbName = `sg_bench_${runId}`;
  const databaseUrl = withDatabase(opts.baseDatabaseUrl, dbName);
  const queuePrefix = `{bench-${runId}}`;
  const procs: Proc[] = [];
  const stopProcesses = async () => {
    await Promise.all(procs.map(stopProcess));
  };
  const teardown = async () => {
    await stopProcesses();
    await dropDatabase(opts.baseDatabaseUrl, dbName);
    await deleteRedisKeys(opts.redisUrl, queuePrefix);
  };
  try {
    await migrate(databaseUrl);
    const port = await freePort();
    const env = {
      ...opts.inheritedEnv,
      ...opts.settings,
      DATABASE_URL: databaseUrl,
      REDIS_URL: opts.redisUrl,
      QUEUE_PREFIX: queuePrefix,
      PORT: String(port),
      // N workers on one box cannot share a metrics port; the bench reads /proc instead.
      WORKER_METRICS_PORT: '0',
    };
    const api = startProcess('api', 'dist/api/server.js', env, opts);
    procs.push(api);
    const workers = Array.from({ length: opts.workers }, (_, i) =>
      startProcess(`worker-${i + 1}`, 'dist/worker/main.js', env, opts),
    );
    procs.push(...workers);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitReady(baseUrl, procs, 30_000);
    return { databaseUrl, queuePrefix, baseUrl, api, workers, stopProcesses, teardown };
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }
}

/** Throws when a process of the stack has died (a crash mid-run must not pass as slowness). */
export function assertAlive(stack: Stack): void {
  for (const p of [stack.api, ...stack.workers]) {
    if (!alive(p)) throw new Error(`${p.name} exited during the run:\n${logTail(p)}`);
  }
}
