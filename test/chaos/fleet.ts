import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { alive, logTail, startProcess, waitReady, type Proc } from '../bench/stack.js';

/**
 * The app's processes under chaos: one API and N workers started from the built code (as the
 * Procfile does), each replaceable by a new process of the same role. Every exit the run did not
 * cause itself (a crash, an exit on a lost connection) is recorded as unexpected.
 */

export interface UnexpectedExit {
  name: string;
  code: number | null;
  signal: string | null;
  tail: string;
}

/** Longest wait for an API to answer /v1/health/ready after a start. */
const READY_DEADLINE_MS = 30_000;

export class Fleet {
  api: Proc;
  readonly workers: Proc[] = [];
  readonly unexpected: UnexpectedExit[] = [];
  private readonly intended = new Set<Proc>();
  private readonly generations = new Map<string, number>();
  private readonly all: Proc[] = [];

  private constructor(
    private readonly env: Record<string, string>,
    private readonly logDir: string,
    readonly baseUrl: string,
  ) {
    this.api = this.spawn('api', 'dist/api/server.js');
  }

  /** Starts the API and `workers` workers and waits for the API to be ready. */
  static async start(
    env: Record<string, string>,
    logDir: string,
    port: number,
    workers: number,
  ): Promise<Fleet> {
    const fleet = new Fleet({ ...env, PORT: String(port) }, logDir, `http://127.0.0.1:${port}`);
    try {
      for (let i = 0; i < workers; i++) fleet.workers.push(fleet.spawnWorker(i));
      await waitReady(fleet.baseUrl, [fleet.api, ...fleet.workers], READY_DEADLINE_MS);
    } catch (err) {
      await fleet.destroy();
      throw err;
    }
    return fleet;
  }

  private spawn(role: string, script: string): Proc {
    const n = (this.generations.get(role) ?? 0) + 1;
    this.generations.set(role, n);
    const p = startProcess(`${role}.${n}`, script, this.env, {
      logDir: this.logDir,
      nodeFlags: [],
    });
    this.all.push(p);
    p.child.once('exit', (code, signal) => {
      if (this.intended.has(p)) return;
      this.unexpected.push({ name: p.name, code, signal, tail: logTail(p) });
    });
    return p;
  }

  private spawnWorker(i: number): Proc {
    return this.spawn(`worker-${i + 1}`, 'dist/worker/main.js');
  }

  /** SIGKILLs worker `i` (no shutdown at all: its active jobs stall) and waits for the exit. */
  async killWorker(i: number): Promise<Proc> {
    const p = this.workers[i];
    if (!p) throw new Error(`no worker ${i}`);
    await this.signal(p, 'SIGKILL');
    return p;
  }

  /** A fresh process in worker slot `i`. */
  restartWorker(i: number): Proc {
    const p = this.spawnWorker(i);
    this.workers[i] = p;
    return p;
  }

  /**
   * Freezes (SIGSTOP) or thaws (SIGCONT) the workers — all, or those in `slots`: jobs neither
   * finish nor fail meanwhile.
   */
  pauseWorkers(paused: boolean, slots?: number[]): void {
    this.workers.forEach((p, i) => {
      if (alive(p) && (!slots || slots.includes(i))) p.child.kill(paused ? 'SIGSTOP' : 'SIGCONT');
    });
  }

  /** SIGTERMs the API (a deploy) and waits for it to exit; resolves with its exit code. */
  async terminateApi(): Promise<{ code: number | null; signal: string | null }> {
    const p = this.api;
    this.intended.add(p);
    if (!alive(p)) return { code: p.child.exitCode, signal: p.child.signalCode };
    const exited = once(p.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    p.child.kill('SIGTERM');
    const [code, signal] = await exited;
    return { code, signal };
  }

  /** A new API process on the same port; resolves when it is ready. */
  async restartApi(): Promise<void> {
    this.api = this.spawn('api', 'dist/api/server.js');
    await waitReady(this.baseUrl, [this.api], READY_DEADLINE_MS);
  }

  /** The processes that should be running now but are not. */
  deadNow(): Proc[] {
    return [this.api, ...this.workers].filter((p) => !alive(p));
  }

  /** Names of every process started, in order (for the report). */
  get started(): string[] {
    return this.all.map((p) => p.name);
  }

  private async signal(p: Proc, signal: NodeJS.Signals): Promise<void> {
    this.intended.add(p);
    if (!alive(p)) return;
    const exited = once(p.child, 'exit');
    p.child.kill(signal);
    await exited;
  }

  /** Teardown: SIGKILL everything still running (the data is thrown away anyway). */
  async destroy(): Promise<void> {
    for (const p of this.all) this.intended.add(p);
    const running = this.all.filter(alive);
    for (const p of running) p.child.kill('SIGCONT');
    await Promise.all(
      running.map(async (p) => {
        const exited = once(p.child, 'exit');
        p.child.kill('SIGKILL');
        await Promise.race([exited, sleep(5000)]);
      }),
    );
  }
}
