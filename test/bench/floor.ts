import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { signAccessToken } from '../../api/auth/tokens.js';
import { parseConfig } from '../../shared/config.js';
import { SCORING_QUEUE } from '../../shared/queue/contract.js';
import { closedLoop, countOf, submitSession, type BenchUser } from './load.js';
import { cpuMs, machineBusyMs } from './proc.js';

/**
 * The framework floor: the same submit → job → "done" pipeline built from the same libraries and
 * the app's own auth, schema and job options, but with no Postgres and no scoring
 * (floor/server.ts, floor/worker.ts). Its CPU per session is what Express, JWT, zod, BullMQ,
 * ioredis, the load generator and Redis cost before the app does any work: with the ceiling's CPU
 * per session it bounds what the app can reach on this machine.
 */

export interface FloorResult {
  sessions: number;
  sessionsPerSec: number;
  /** CPU ms per session of the floor's API and worker processes. */
  cpuMsPerSession: { api: number; worker: number };
  /** CPU ms per session of the whole machine (all cores) over the same window. */
  machineCpuMsPerSession: number;
}

interface FloorOptions {
  redisUrl: string;
  queuePrefix: string;
  /** The app's environment, so the floor runs with the same settings. */
  env: Record<string, string | undefined>;
  users: BenchUser[];
  clients: number;
  seconds: number;
  logDir: string;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureFloor(opts: FloorOptions): Promise<FloorResult> {
  const port = await freePort();
  const secret = opts.env.JWT_SECRET ?? 'floor';
  const env = {
    ...opts.env,
    PORT: String(port),
    REDIS_URL: opts.redisUrl,
    QUEUE_PREFIX: opts.queuePrefix,
    JWT_SECRET: secret,
  };
  const start = (name: string) => {
    const fd = openSync(path.join(opts.logDir, `floor-${name}.log`), 'w');
    const script = path.resolve('test/bench/floor', `${name}.ts`);
    return spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', fd, fd] });
  };
  const procs = [start('server'), start('worker')] as const;
  const queue = new Queue(SCORING_QUEUE, {
    connection: new Redis(opts.redisUrl, { maxRetriesPerRequest: null }),
    prefix: opts.queuePrefix,
  });
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${baseUrl}/v1/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 300 || procs.some((p) => p.exitCode !== null)) throw new Error('floor did not start');
      await sleep(100);
    }
    const tokenConfig = parseConfig(env);
    const users = opts.users.map((u) => ({
      ...u,
      token: signAccessToken(tokenConfig, { sub: u.id, sv: 0, role: 'USER' }),
    }));
    const pids = procs.map((p) => p.pid ?? 0);
    const cpu0 = pids.map(cpuMs);
    const machine0 = machineBusyMs();
    const t0 = performance.now();
    const pool = new Pool(baseUrl, { connections: opts.clients, pipelining: 1 });
    const load = await closedLoop(users, opts.clients, opts.seconds * 1000, submitSession(pool));
    await pool.close();
    const sessions = countOf(load, 202);
    // Done when nothing waits or runs (completed jobs are trimmed by count, so not counted).
    const unfinished = async () => {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    };
    for (let i = 0; (await unfinished()) > 0; i++) {
      if (i > 600) throw new Error('floor worker did not finish within 60 s');
      await sleep(100);
    }
    const seconds = (performance.now() - t0) / 1000;
    const [api, worker] = pids.map((pid, i) => (cpuMs(pid) - (cpu0[i] ?? 0)) / sessions);
    return {
      sessions,
      sessionsPerSec: Math.round((sessions / seconds) * 10) / 10,
      cpuMsPerSession: { api: api ?? 0, worker: worker ?? 0 },
      machineCpuMsPerSession: (machineBusyMs() - machine0) / sessions,
    };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
