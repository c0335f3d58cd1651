import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kind } from './client.js';
import type { UnexpectedExit } from './fleet.js';
import type { Check } from './invariants.js';

/** The printed result of a chaos run: what was done, what the clients saw, what holds. */

export interface FaultOutcome {
  name: string;
  round: number;
  violations: string[];
}

export interface ChaosReport {
  header: string;
  timeline: string[];
  answers: Record<Kind, Record<string, number>>;
  clientProblems: Map<string, { count: number; example: string }>;
  faults: FaultOutcome[];
  checks: Check[];
  processes: string[];
  unexpectedExits: UnexpectedExit[];
  logDir: string;
}

/** pino's numeric level of "warn". */
const WARN = 40;
const TOP_MESSAGES = 10;

/** Warn-and-above log lines and raw stderr lines of every process, counted by role and message. */
export function logFacts(logDir: string): string[] {
  const counts = new Map<string, number>();
  const sweeper = { requeued: 0, failed: 0 };
  for (const file of readdirSync(logDir).filter((f) => f.endsWith('.log'))) {
    const role = file.replace(/[.-]\d+.*$/, '');
    for (const line of readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
      if (!line.startsWith('{')) {
        // Output that bypassed the logger (a library's console.error); stack lines are indented.
        if (/^[^\s}]/.test(line)) {
          const key = `${role}: raw stderr: ${line.slice(0, 70)}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        continue;
      }
      let entry: { level?: number; msg?: string; requeued?: number; failed?: number };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if ((entry.level ?? 0) < WARN) continue;
      const key = `${role}: ${entry.msg ?? '(no message)'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (entry.msg === 'sweeper repaired sessions') {
        sweeper.requeued += entry.requeued ?? 0;
        sweeper.failed += entry.failed ?? 0;
      }
    }
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP_MESSAGES);
  return [
    ...top.map(([key, n]) => `${String(n).padStart(6)}× ${key}`),
    `sweeper: ${sweeper.requeued} sessions re-enqueued, ${sweeper.failed} marked FAILED`,
  ];
}

const line = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v}× ${k}`)
    .join(', ') || 'none';

/** Prints the report; returns the number of violations. */
export function printReport(r: ChaosReport): number {
  const out: string[] = [r.header, '', 'timeline'];
  out.push(...r.timeline.map((t) => `  ${t}`));
  out.push('', 'answers to the clients (status or client error)');
  for (const [kind, counts] of Object.entries(r.answers)) {
    out.push(`  ${kind.padEnd(10)} ${line(counts)}`);
  }
  out.push('', 'logs of the app processes (warn and above)');
  out.push(...logFacts(r.logDir).map((l) => `  ${l}`));
  let violations = 0;
  const verdict = (name: string, found: string[], facts = '') => {
    violations += found.length;
    out.push(`  ${found.length ? 'VIOLATED' : 'OK      '}  ${name}${facts ? ` — ${facts}` : ''}`);
    out.push(...found.map((v) => `              ✗ ${v}`));
  };
  out.push('', 'faults');
  for (const f of r.faults) verdict(`${f.name} (round ${f.round})`, f.violations);
  out.push('', 'invariants');
  for (const c of r.checks) verdict(c.name, c.violations, c.facts);
  const problems = [...r.clientProblems.entries()].map(
    ([what, p]) => `${p.count}× ${what} (e.g. ${p.example})`,
  );
  verdict('clients saw only answers that can be right', problems);
  const exits = r.unexpectedExits.map(
    (e) => `${e.name} exited ${e.code ?? e.signal}:\n${e.tail.replace(/^/gm, '                ')}`,
  );
  verdict('no process died unless the run killed it', exits);
  out.push('', `processes started: ${r.processes.join(', ')}`, `logs: ${r.logDir}`);
  out.push('', `${violations === 0 ? 'PASS' : 'FAIL'}: ${violations} violation(s)`);
  console.log(out.join('\n'));
  return violations;
}
