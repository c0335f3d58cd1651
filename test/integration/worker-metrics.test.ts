import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { networkInterfaces } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { metricsAccess } from '../../shared/metrics-access.js';
import { createWorkerMetrics, serveMetrics } from '../../worker/metrics.js';
import { testConfig } from '../helpers/config.js';
import { freePort } from '../helpers/ports.js';
import { spawnWorkerProcess } from '../helpers/worker-process.js';

const TOKEN = 'worker-metrics-token-0123';
const config = testConfig();

/** This machine's first address that is not loopback (null on a machine without one). */
function outsideAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    const found = list?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return null;
}

/** The worker process, its stdout collected; resolves once it logged that it started. */
async function startWorker(env: Record<string, string>) {
  const child = spawnWorkerProcess(
    config,
    { NODE_ENV: 'production', JWT_SECRET: config.JWT_SECRET, LOG_LEVEL: 'info', ...env },
    ['ignore', 'pipe', 'inherit'],
  );
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const deadline = Date.now() + 45_000;
  while (!stdout.includes('"worker started"')) {
    if (child.exitCode !== null) throw new Error(`worker exited at start:\n${stdout}`);
    if (Date.now() > deadline) throw new Error(`worker did not start:\n${stdout}`);
    await sleep(100);
  }
  return { child, log: () => stdout };
}

async function stop(child: ChildProcess) {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers }).then(
    (r) => r.status,
    () => 'refused' as const,
  );

describe("each worker's /metrics", () => {
  it('listens on loopback by default', async () => {
    expect(config.WORKER_METRICS_HOST).toBe('127.0.0.1');
    const server = serveMetrics(
      createWorkerMetrics(),
      { port: 0, host: config.WORKER_METRICS_HOST, access: metricsAccess(config) },
      () => undefined,
    );
    await once(server, 'listening');
    try {
      expect(server.address()).toMatchObject({ address: '127.0.0.1' });
    } finally {
      server.close();
    }
  });

  it('takes the metrics token in production and is not reachable from outside', async () => {
    const port = await freePort();
    const { child } = await startWorker({
      METRICS_TOKEN: TOKEN,
      WORKER_METRICS_PORT: String(port),
    });
    try {
      const url = `http://127.0.0.1:${String(port)}/metrics`;
      // Listening begins as the worker starts; give it a moment.
      const deadline = Date.now() + 5000;
      while ((await get(url)) === 'refused' && Date.now() < deadline) await sleep(50);
      expect(await get(url)).toBe(401);
      expect(await get(url, { Authorization: 'Bearer wrong-token-0123456789' })).toBe(401);
      expect(await get(url, { Authorization: `Bearer ${TOKEN}` })).toBe(200);
      const outside = outsideAddress();
      if (outside) {
        expect(await get(`http://${outside}:${String(port)}/metrics`)).toBe('refused');
      }
    } finally {
      await stop(child);
    }
  }, 60_000);

  it('is not served in production without METRICS_TOKEN', async () => {
    const port = await freePort();
    const { child, log } = await startWorker({ WORKER_METRICS_PORT: String(port) });
    try {
      expect(log()).toContain('worker /metrics not served: METRICS_TOKEN is unset in production');
      expect(await get(`http://127.0.0.1:${String(port)}/metrics`)).toBe('refused');
    } finally {
      await stop(child);
    }
  }, 60_000);
});
