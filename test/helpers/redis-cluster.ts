import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);

export interface LocalCluster {
  /** host:port of each master, for REDIS_CLUSTER_NODES. */
  nodes: string[];
  stop: () => Promise<void>;
}

/**
 * A real 3-master Redis Cluster on loopback: `redis-server --cluster-enabled` on free ports,
 * joined by `redis-cli --cluster create`, in a temporary directory removed by `stop`.
 */
export async function startRedisCluster(masters = 3): Promise<LocalCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-cluster-'));
  const ports = await Promise.all(Array.from({ length: masters }, freePort));
  const servers: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${String(port)}.conf`),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = async () => {
    for (const s of servers) s.kill('SIGKILL');
    await sleep(100);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitForPing(port);
    const nodes = ports.map((p) => `127.0.0.1:${String(p)}`);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) await waitFor(port, ['cluster', 'info'], /cluster_state:ok/);
    return { nodes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForPing(port: number) {
  await waitFor(port, ['ping'], /PONG/);
}

async function waitFor(port: number, command: string[], expected: RegExp) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const out = await run('redis-cli', ['-p', String(port), ...command]).then(
      (r) => r.stdout,
      () => '',
    );
    if (expected.test(out)) return;
    if (Date.now() > deadline)
      throw new Error(`redis ${String(port)}: ${command.join(' ')} never matched`);
    await sleep(100);
  }
}
