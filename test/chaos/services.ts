import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * The chaos run's own PostgreSQL cluster and Redis server, on free loopback ports inside a
 * temporary directory, so that killing and restarting them never touches the shared services
 * (5432, 6379) other people use on this machine.
 */

const run = promisify(execFile);

/** The Debian packages' binaries of the newest PostgreSQL installed; PG_BIN overrides. */
const PG_BIN = process.env.PG_BIN ?? newestPostgresBin();

function newestPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return path.join(root, versions[0] ?? '15', 'bin');
}
/** initdb refuses root: the cluster belongs to this OS user when we are root. */
const PG_OS_USER = 'postgres';
/** Longest wait for a server to answer after a start. */
const START_DEADLINE_MS = 30_000;

export interface Postgres {
  port: number;
  /** Admin URL of the `postgres` database (trust auth on loopback). */
  url: string;
  /** `pg_ctl stop -m fast`: open connections are terminated. */
  stop(): Promise<void>;
  /** `pg_ctl start`, waiting until it accepts connections. */
  start(): Promise<void>;
  /** Stops at once (teardown); never throws. */
  destroy(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres OS user when we are root. */
async function pgRun(binary: string, args: string[], cwd: string): Promise<string> {
  const file = path.join(PG_BIN, binary);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', PG_OS_USER, '--', file, ...args]] : [file, args];
  const { stdout } = await run(cmd, argv, { cwd, maxBuffer: 1 << 20 });
  return stdout;
}

/**
 * initdb into `<dir>/pg` (trust auth, no fsync: the data is thrown away) and start it on `port`,
 * listening on 127.0.0.1 only, its socket in the same directory.
 */
export async function startPostgres(dir: string, port: number): Promise<Postgres> {
  const home = path.join(dir, 'pg');
  mkdirSync(home, { recursive: true });
  if (asRoot) {
    // The cluster's OS user must reach its directory: the parent is ours.
    chmodSync(dir, 0o755);
    const { stdout } = await run('id', ['-u', PG_OS_USER]);
    const { stdout: gid } = await run('id', ['-g', PG_OS_USER]);
    chownSync(home, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(home, 'data');
  await pgRun(
    'initdb',
    ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'],
    home,
  );
  const options = [
    `-p ${String(port)}`,
    `-k ${home}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const logFile = path.join(home, 'postgres.log');
  const url = `postgresql://postgres@127.0.0.1:${String(port)}/postgres`;
  const start = async () => {
    await pgRun('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', 'start'], home);
    await waitFor(() => canQuery(url), `Postgres on ${String(port)}`);
  };
  const stop = async () => {
    await pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], home);
  };
  const destroy = async () => {
    await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], home).catch(
      () => undefined,
    );
  };
  try {
    await start();
  } catch (err) {
    await destroy();
    throw err;
  }
  return { port, url, stop, start, destroy };
}

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface RedisServer {
  port: number;
  url: string;
  /** SIGKILL: everything in memory is gone (no persistence is configured). */
  kill(): Promise<void>;
  /** A new, empty server on the same port. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** A redis-server child on `port`: no RDB, no AOF, noeviction (as BullMQ requires). */
export async function startRedis(dir: string, port: number): Promise<RedisServer> {
  const home = path.join(dir, 'redis');
  mkdirSync(home, { recursive: true });
  let child: ChildProcess | null = null;
  let generation = 0;
  const start = async () => {
    generation++;
    const log = openSync(path.join(home, `redis-${String(generation)}.log`), 'w');
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly'];
    args.push('no', '--maxmemory-policy', 'noeviction', '--dir', home);
    child = spawn('redis-server', args, { stdio: ['ignore', log, log] });
    await waitFor(() => ping(port), `Redis on ${String(port)}`);
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = once(c, 'exit');
    c.kill('SIGKILL');
    await exited;
  };
  try {
    await start();
  } catch (err) {
    await kill();
    throw err;
  }
  return { port, url: `redis://127.0.0.1:${String(port)}`, kill, start, destroy: kill };
}

async function ping(port: number): Promise<boolean> {
  const out = await run('redis-cli', ['-p', String(port), 'ping']).then(
    (r) => r.stdout,
    () => '',
  );
  return out.includes('PONG');
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not answer within 30 s`);
    await sleep(100);
  }
}
