import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU and memory of other processes, read from Linux /proc: the API and workers are separate
 * processes, so their own `process.cpuUsage()` is out of reach without adding code to them.
 */

/** Clock ticks per second of /proc/<pid>/stat (100 on every common Linux, asked anyway). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU the process has used so far, in ms (10 ms resolution at CLK_TCK 100). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after its closing ')' do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the file, i.e. 11 and 12 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLK_TCK;
}

/** Peak resident set size (VmHWM) in MiB: the kernel keeps the peak, so no sampling is needed. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  return kib ? Number(kib) / 1024 : 0;
}

/** Current resident set size (VmRSS) in MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  return kib ? Number(kib) / 1024 : 0;
}

/** CPU of several named processes between two points in time. */
export interface CpuWindow {
  /** Ends the window: CPU ms used by each process since it started. */
  stop(): Record<string, number>;
}

export function startCpuWindow(pids: Record<string, number>): CpuWindow {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  return {
    stop: () =>
      Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid) - (before[name] ?? 0)]),
      ),
  };
}

/**
 * CPU the whole machine has used so far, all cores summed, in ms: /proc/stat's first line minus
 * idle and iowait. Covers what per-process figures cannot name (Postgres backends, Redis, pgbench).
 */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  // guest and guest_nice (fields 9-10) are already inside user and nice.
  const guest = (ticks[8] ?? 0) + (ticks[9] ?? 0);
  return ((total - idle - guest) * 1000) / CLK_TCK;
}

/** Pids of every process whose command name (/proc/<pid>/comm) is one of `names`. */
export function pidsNamed(names: readonly string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (names.includes(comm)) pids.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return pids;
}

/** CPU ms of a group of processes found by name; processes gone before `stop` are not counted. */
function groupCpuMs(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      out.set(pid, cpuMs(pid));
    } catch {
      // Ended: its CPU is lost to the figure (pool connections live for the whole window).
    }
  }
  return out;
}

/**
 * Where the whole machine's CPU went over a window: Postgres (every `postgres` process: backends
 * and background workers, of every database on the box), Redis (`redis-server`), this process
 * (the load generator), and the rest of the machine (the app's processes and anything else).
 */
export interface MachineWindow {
  stop(): { machine: number; postgres: number; redis: number; loadGenerator: number };
}

export function startMachineWindow(): MachineWindow {
  const machine0 = machineBusyMs();
  const self0 = process.cpuUsage();
  const groups = { postgres: ['postgres'], redis: ['redis-server'] } as const;
  const before = {
    postgres: groupCpuMs(pidsNamed(groups.postgres)),
    redis: groupCpuMs(pidsNamed(groups.redis)),
  };
  const used = (names: readonly string[], start: Map<number, number>) => {
    let ms = 0;
    for (const [pid, now] of groupCpuMs(pidsNamed(names))) ms += now - (start.get(pid) ?? 0);
    return ms;
  };
  return {
    stop: () => {
      const self = process.cpuUsage(self0);
      return {
        machine: machineBusyMs() - machine0,
        postgres: used(groups.postgres, before.postgres),
        redis: used(groups.redis, before.redis),
        loadGenerator: (self.user + self.system) / 1000,
      };
    },
  };
}
