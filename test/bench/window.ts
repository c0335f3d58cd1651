import type pg from 'pg';
import { transactionId } from './ceiling.js';
import { startCpuWindow, startMachineWindow } from './proc.js';
import type { MachineBreakdown } from './report.js';

/** What the end-to-end window cost, per session. */
export interface WindowCost {
  /** Each app process's CPU. */
  cpuMsPerSession: Record<string, number>;
  /** The whole machine's CPU and its known parts. */
  machineCpuMsPerSession: MachineBreakdown;
  /** Transaction ids Postgres assigned (write transactions, whole server). */
  writeTransactionsPerSession: number;
}

/**
 * Starts measuring the app's processes, the machine and Postgres's write transactions; `stop`
 * divides what was used by the sessions the window completed.
 */
export async function startSessionWindow(db: pg.Pool, pids: Record<string, number>) {
  const cpu = startCpuWindow(pids);
  const machine = startMachineWindow();
  const xidBefore = await transactionId(db);
  return {
    stop: async (sessions: number): Promise<WindowCost> => {
      const cpuUsed = cpu.stop();
      const used = machine.stop();
      const xidAfter = await transactionId(db);
      const perSession = (ms: number) => ms / Math.max(1, sessions);
      const appMs = Object.values(cpuUsed).reduce((a, b) => a + b, 0);
      return {
        cpuMsPerSession: Object.fromEntries(
          Object.entries(cpuUsed).map(([name, ms]) => [name, perSession(ms)]),
        ),
        machineCpuMsPerSession: {
          machine: perSession(used.machine),
          postgres: perSession(used.postgres),
          redis: perSession(used.redis),
          loadGenerator: perSession(used.loadGenerator),
          other: perSession(used.machine - appMs - used.postgres - used.redis - used.loadGenerator),
        },
        // The second read takes an id of its own.
        writeTransactionsPerSession: Math.round(perSession(xidAfter - xidBefore - 1) * 100) / 100,
      };
    },
  };
}
