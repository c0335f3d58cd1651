/**
 * End-to-end pipeline benchmark on this machine: clients submit text sessions over HTTP (loopback)
 * to the real app in this process, worker processes (the real `worker/main.ts`, as in production)
 * score and apply them, and we print submit latency and sustained throughput. Uses DATABASE_URL
 * (migrated first) and a fresh queue prefix; the users it creates are deleted afterwards.
 *
 *   npm run bench:pipeline -- [sessions=600] [clients=16] [workerProcesses=1]
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../api/app.js';
import { createAppDeps } from '../../api/deps.js';
import { migrate } from '../../prisma/migrator.js';
import { parseConfig } from '../../shared/config.js';
import { createPrisma } from '../../shared/db.js';
import { createLogger } from '../../shared/logger.js';
import { GOOD_CHAT } from '../helpers/fixtures.js';

const total = Number(process.argv[2] ?? 600);
const concurrency = Number(process.argv[3] ?? 16);
const workerProcesses = Number(process.argv[4] ?? 1);
const config = parseConfig({
  ...process.env,
  QUEUE_PREFIX: `{bench-${randomBytes(3).toString('hex')}}`,
  BCRYPT_ROUNDS: '4',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_SIGNUP_PER_IP: '100000',
});
await migrate(config.DATABASE_URL);
const deps = createAppDeps(config, createLogger(config, 'bench'), { dbPoolSize: 20 });
const server = buildApp(deps).listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const workers = Array.from({ length: workerProcesses }, () =>
  spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      QUEUE_PREFIX: config.QUEUE_PREFIX,
      LOG_LEVEL: 'error',
      WORKER_METRICS_PORT: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  }),
);
const prisma = createPrisma(config.DATABASE_URL, { max: 2 });

const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const users = await Promise.all(
  Array.from({ length: concurrency }, async () => {
    const res = await post('/v1/auth/signup', {
      email: `bench-${randomBytes(6).toString('hex')}@example.com`,
      password: 'bench-password',
    });
    return { id: (res.body.user as { id: string }).id, token: res.body.accessToken as string };
  }),
);

const messages = GOOD_CHAT;

const latencies: number[] = [];
const started = performance.now();
let next = 0;
await Promise.all(
  users.map(async (user) => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      const res = await post(
        '/v1/practice/session',
        { messages },
        {
          authorization: `Bearer ${user.token}`,
          'idempotency-key': randomUUID(),
        },
      );
      latencies.push(performance.now() - t0);
      if (res.status !== 202) throw new Error(`submit answered ${res.status}`);
    }
  }),
);
const submitted = performance.now();
const userIds = users.map((u) => u.id);
while (
  (await prisma.practiceSession.count({
    where: { userId: { in: userIds }, status: 'COMPLETED' },
  })) < total
) {
  await new Promise((r) => setTimeout(r, 50));
}
const finished = performance.now();

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
const mem = process.memoryUsage();
console.log(
  `sessions: ${total}, client concurrency: ${concurrency}, worker concurrency: ${config.WORKER_CONCURRENCY}`,
);
console.log(
  `submit latency ms: p50 ${pct(0.5).toFixed(1)}  p95 ${pct(0.95).toFixed(1)}  p99 ${pct(0.99).toFixed(1)}`,
);
console.log(`submit throughput: ${((total / (submitted - started)) * 1000).toFixed(0)} sessions/s`);
console.log(
  `end-to-end (submit → all COMPLETED): ${((total / (finished - started)) * 1000).toFixed(0)} sessions/s over ${((finished - started) / 1000).toFixed(1)} s`,
);
console.log(`API process rss: ${(mem.rss / 2 ** 20).toFixed(0)} MiB`);

for (const worker of workers) worker.kill('SIGTERM');
await Promise.all(workers.map((w) => once(w, 'exit')));
await prisma.user.deleteMany({ where: { id: { in: userIds } } });
server.close();
await prisma.$disconnect();
await deps.close();
