/**
 * Memory soak (issue 8): drives the built API and N workers with a closed loop until `--sessions`
 * (default 50 000) sessions are accepted and completed, sampling every process's resident memory
 * and Redis's used memory after each 10-second slice, once its sessions are all COMPLETED. Prints the samples and the drift between
 * the means of the first and second half of the samples after warm-up (10 % of the sessions),
 * checks exactly-once at the end, and removes everything it created.
 *
 *   npm run bench:soak -- [--sessions=50000] [--workers=1] [--clients=16]
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Pool } from 'undici';
import { exactlyOnceViolations, waitCompleted } from './checks.js';
import { closedLoop, countOf, submitSession } from './load.js';
import { rssMiB } from './proc.js';
import { assertAlive, benchSettings, harnessConfig, startStack } from './stack.js';
import { signupUsers } from './users.js';

const arg = (name: string, fallback: number) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
};
const target = arg('sessions', 50_000);
const workers = arg('workers', 1);
const clients = arg('clients', 16);
/**
 * Enough users that the per-user limit (30 a minute) never binds at this machine's rate: 3 000
 * allow 1 500 submits/s for as long as the soak runs (900 stalled a run at ~800/s).
 */
const USERS = 3000;
const SLICE_MS = 10_000;

const base = harnessConfig();
const runId = `soak${Date.now().toString(36)}`;
execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
const stack = await startStack(
  {
    baseDatabaseUrl: base.DATABASE_URL,
    redisUrl: base.REDIS_URL,
    workers,
    inheritedEnv: process.env,
    settings: benchSettings(),
    nodeFlags: [],
    logDir: path.resolve('bench-results', 'logs', runId),
  },
  runId,
);
const db = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
const redis = new Redis(base.REDIS_URL, { maxRetriesPerRequest: null });
const http = new Pool(stack.baseUrl, { connections: clients, pipelining: 1 });

interface Sample {
  sessions: number;
  rss: Record<string, number>;
  redisMiB: number;
}
const samples: Sample[] = [];
let exitCode = 0;
try {
  const users = await signupUsers(http, USERS, runId);
  const userIds = users.map((u) => u.id);
  const procs = [stack.api, ...stack.workers];
  let accepted = 0;
  console.log(`sessions    ${procs.map((p) => p.name.padStart(10)).join(' ')}   redis MiB`);
  while (accepted < target) {
    const r = await closedLoop(users, clients, SLICE_MS, submitSession(http));
    accepted += countOf(r, 202);
    assertAlive(stack);
    // Sampled once the slice's sessions are all COMPLETED: the closed loop submits faster than
    // one worker scores, so mid-slice samples would measure the queue's backlog, not retention.
    await waitCompleted(db, userIds, accepted, 120_000);
    const info = await redis.info('memory');
    const redisMiB = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1048576;
    const rss = Object.fromEntries(procs.map((p) => [p.name, rssMiB(p.pid)]));
    samples.push({ sessions: accepted, rss, redisMiB });
    console.log(
      `${String(accepted).padStart(8)}    ${procs.map((p) => (rss[p.name] ?? 0).toFixed(0).padStart(10)).join(' ')}   ${redisMiB.toFixed(1)}`,
    );
  }
  await waitCompleted(db, userIds, accepted, 600_000);
  // RSS saws up and down with garbage collection: compare the mean of the first and the second
  // half of the samples after warm-up (10 % of the sessions), and show the range.
  const after = samples.filter((x) => x.sessions >= target * 0.1);
  const halves = [after.slice(0, after.length >> 1), after.slice(after.length >> 1)];
  const mean = (xs: Sample[], pick: (x: Sample) => number) =>
    xs.reduce((sum, x) => sum + pick(x), 0) / Math.max(1, xs.length);
  const line = (name: string, pick: (x: Sample) => number) => {
    const [a, b] = halves.map((h) => mean(h, pick)) as [number, number];
    const values = after.map(pick);
    console.log(
      `${name}: mean ${a.toFixed(1)} → ${b.toFixed(1)} MiB (${(((b - a) / a) * 100).toFixed(1)} %), range ${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`,
    );
  };
  if (after.length >= 2) {
    for (const p of procs) line(p.name, (x) => x.rss[p.name] ?? 0);
    line('redis used_memory', (x) => x.redisMiB);
  }
  const violations = await exactlyOnceViolations(db, userIds, accepted, 0);
  console.log(
    violations.length === 0
      ? `exactly-once: OK (${String(accepted)} sessions)`
      : `exactly-once VIOLATED:\n${violations.join('\n')}`,
  );
  console.log(`cpus ${String(os.cpus().length)}, load average ${os.loadavg().join(' ')}`);
  if (violations.length > 0) exitCode = 1;
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await http.close();
  redis.disconnect();
  await db.end();
  await stack.teardown();
}
process.exit(exitCode);
