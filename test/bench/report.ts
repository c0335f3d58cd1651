import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppSqlResult } from './app-sql.js';
import type { Bound, CeilingResult } from './ceiling.js';
import type { FloorResult } from './floor.js';
import { countOf, percentileMs, type LoadResult } from './load.js';
import type { BenchOptions } from './options.js';

/** The bench's results: one table on stdout, the same numbers (and more) as JSON. */

export interface PhaseSummary {
  phase: string;
  offered: string;
  durationSec: number;
  sent: number;
  /** HTTP answers per second over the phase (any status). */
  answeredPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  /** 2xx answers: 202 for a submit, 200 for a login. */
  s2xx: number;
  s429: number;
  s503: number;
  /** 5xx other than 503 (503 is the honest "overloaded" answer, counted apart). */
  s5xx: number;
  connectionErrors: Record<string, number>;
  connErrors: number;
  deferred: number;
}

export function summarize(phase: string, offered: string, r: LoadResult): PhaseSummary {
  const answered = Object.values(r.statuses).reduce((a, b) => a + b, 0);
  const s5xx = Object.entries(r.statuses)
    .filter(([code]) => code.startsWith('5') && code !== '503')
    .reduce((a, [, n]) => a + n, 0);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    phase,
    offered,
    durationSec: round(r.durationMs / 1000),
    sent: r.sent,
    answeredPerSec: round((answered * 1000) / r.durationMs),
    p50: round(percentileMs(r, 50)),
    p95: round(percentileMs(r, 95)),
    p99: round(percentileMs(r, 99)),
    max: round(r.latency.maxValue / 1000),
    statuses: r.statuses,
    s2xx: Object.entries(r.statuses)
      .filter(([code]) => code.startsWith('2'))
      .reduce((a, [, n]) => a + n, 0),
    s429: countOf(r, 429),
    s503: countOf(r, 503),
    s5xx,
    connectionErrors: r.connectionErrors,
    connErrors: Object.values(r.connectionErrors).reduce((a, b) => a + b, 0),
    deferred: r.deferred,
  };
}

export interface EndToEnd {
  sessions: number;
  seconds: number;
  sessionsPerSec: number;
  /** False when the drain deadline passed first: the rate is then an upper bound. */
  drained: boolean;
  /**
   * Write transactions per session over the window (transaction ids Postgres assigned, on the
   * whole server): 3 when every submit, claim and apply commits on its own; fewer when the
   * worker batches claims and applies.
   */
  writeTransactionsPerSession: number | null;
}

export interface MachineBreakdown {
  machine: number;
  postgres: number;
  redis: number;
  loadGenerator: number;
  /** The machine minus the named parts and the app's processes: kernel, other programs. */
  other: number;
}

export interface BenchReport {
  runId: string;
  startedAt: string;
  machine: {
    cpus: number;
    checkpointed: boolean;
    loadavgAtStart: number[];
    loadavgAtEnd: number[];
    node: string;
  };
  options: BenchOptions;
  phases: PhaseSummary[];
  endToEnd: EndToEnd | null;
  cpuMsPerSession: Record<string, number>;
  /** The whole machine's CPU over the end-to-end window, per session, and its known parts. */
  machineCpuMsPerSession: MachineBreakdown | null;
  peakRssMiB: Record<string, number>;
  ceiling: CeilingResult | null;
  /** The app's own three statements per session, sent by pgbench (app-sql.ts). */
  appSql: AppSqlResult | null;
  ratio: number | null;
  floor: FloorResult | null;
  bound: Bound | null;
  /** sessions: accepted (202); unanswered: 5xx or no answer, which may have created a session. */
  exactlyOnce: { sessions: number; unanswered: number; violations: string[] };
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** The one table: a row per load phase, then the pipeline, ceiling and process figures. */
export function printTable(r: BenchReport): void {
  const head = [
    'phase'.padEnd(26),
    'offered'.padEnd(12),
    pad('answ/s', 7),
    pad('p50 ms', 8),
    pad('p95 ms', 8),
    pad('p99 ms', 8),
    pad('2xx', 6),
    pad('429', 5),
    pad('503', 5),
    pad('5xx', 5),
    pad('conn-err', 8),
    pad('deferred', 8),
  ].join(' ');
  const lines = [head, '-'.repeat(head.length)];
  for (const p of r.phases) {
    lines.push(
      [
        p.phase.padEnd(26),
        p.offered.padEnd(12),
        pad(p.answeredPerSec, 7),
        pad(p.p50, 8),
        pad(p.p95, 8),
        pad(p.p99, 8),
        pad(p.s2xx, 6),
        pad(p.s429, 5),
        pad(p.s503, 5),
        pad(p.s5xx, 5),
        pad(p.connErrors, 8),
        pad(p.deferred, 8),
      ].join(' '),
    );
  }
  lines.push('-'.repeat(head.length));
  const e = r.endToEnd;
  if (e) {
    lines.push(
      `end-to-end (first submit → all COMPLETED): ${e.sessionsPerSec} sessions/s ` +
        `(${e.sessions} sessions in ${e.seconds} s${e.drained ? '' : ', DRAIN DEADLINE PASSED'})`,
    );
  }
  const c = r.ceiling;
  if (c) {
    lines.push(
      `ceiling (pgbench writing the same rows, best run): ${c.sessionsPerSec.toFixed(1)} sessions/s` +
        `   →   end-to-end / ceiling = ${r.ratio?.toFixed(2) ?? 'n/a'}`,
      `  pgbench runs (${c.durationSec} s each): ` +
        c.runs.map((x) => `${x.clients} clients ${x.sessionsPerSec}/s`).join(', '),
    );
  }
  const a = r.appSql;
  if (a && c) {
    const best = c.runs.find((x) => x.clients === c.clients) ?? c;
    lines.push(
      `the app's own statements (submit, claim, apply) by pgbench: ${a.sessionsPerSec.toFixed(1)} sessions/s ` +
        `at ${a.clients} clients, machine CPU ms per session ${a.machineCpuMsPerSession.toFixed(2)} ` +
        `(the ceiling's ${best.machineCpuMsPerSession.toFixed(2)})`,
    );
  }
  const f = r.floor;
  if (f) {
    lines.push(
      `framework floor (same libraries, no Postgres, no scoring): ${f.sessionsPerSec} sessions/s, ` +
        `CPU ms per session: api ${f.cpuMsPerSession.api.toFixed(1)}, worker ${f.cpuMsPerSession.worker.toFixed(1)}, ` +
        `whole machine ${f.machineCpuMsPerSession.toFixed(2)}`,
    );
  }
  if (c && r.bound) {
    const best = c.runs.find((x) => x.clients === c.clients) ?? c;
    lines.push(
      `bound: floor ${f?.machineCpuMsPerSession.toFixed(2)} + ceiling ${best.machineCpuMsPerSession.toFixed(2)} ` +
        `machine CPU ms per session = ${r.bound.cpuMsPerSession} → at most ${r.bound.sessionsPerSec} sessions/s ` +
        `on ${r.machine.cpus} cores = ${r.bound.ratio.toFixed(2)} of the ceiling`,
    );
  }
  const perProc = (rec: Record<string, number>, digits: number) =>
    Object.entries(rec)
      .map(([name, v]) => `${name} ${v.toFixed(digits)}`)
      .join(', ');
  lines.push(`CPU ms per session: ${perProc(r.cpuMsPerSession, 2)}`);
  const writes = r.endToEnd?.writeTransactionsPerSession;
  if (writes != null) {
    lines.push(`Postgres write transactions per session (end-to-end window): ${writes.toFixed(2)}`);
  }
  const m = r.machineCpuMsPerSession;
  if (m) {
    lines.push(
      `machine CPU ms per session (end-to-end window): ${m.machine.toFixed(2)} = app ` +
        `${Object.values(r.cpuMsPerSession)
          .reduce((a, b) => a + b, 0)
          .toFixed(2)} + postgres ${m.postgres.toFixed(2)} + redis ${m.redis.toFixed(2)} + ` +
        `load generator ${m.loadGenerator.toFixed(2)} + other ${m.other.toFixed(2)}`,
    );
  }
  lines.push(`peak RSS MiB: ${perProc(r.peakRssMiB, 0)}`);
  const v = r.exactlyOnce.violations;
  lines.push(
    v.length === 0
      ? `exactly-once: OK (${r.exactlyOnce.sessions} sessions, each COMPLETED with one reward; wallets = Σ ledger)`
      : `exactly-once: VIOLATED\n  ${v.join('\n  ')}`,
  );
  lines.push(
    `workers ${r.options.workers}, users ${r.options.users}, cpus ${r.machine.cpus}, ` +
      `phases start after a CHECKPOINT: ${r.machine.checkpointed ? 'yes' : 'no (not permitted)'}, ` +
      `load average at start ${r.machine.loadavgAtStart.map((l) => l.toFixed(2)).join(' ')}, ` +
      `at end ${r.machine.loadavgAtEnd.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(`\n${lines.join('\n')}\n`);
}

/** Writes the report as bench-results/bench-<timestamp>.json and returns the path. */
export function writeJson(r: BenchReport, dir = 'bench-results'): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${r.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
