import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Self time in V8 .cpuprofile files (`node --cpu-prof`), by function and by package, so "where the
 * CPU goes" can be read without a browser. Also a CLI:
 *   npx tsx test/bench/cpuprofile.ts <file.cpuprofile | dir>…
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  byFunction: SelfTime[];
  byPackage: SelfTime[];
}

/** node_modules/<pkg> (scoped too), node:<builtin>, the app's own top folder, or V8's pseudo-nodes. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? url);
  }
  if (url.startsWith('node:')) return 'node: (core)';
  const app = /\/dist\/([^/]+)\//.exec(url);
  return app ? `app: ${app[1] ?? ''}` : url;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  return dist >= 0 ? url.slice(dist + 1) : url;
}

function top(totals: Map<string, number>, busyMs: number, n: number): SelfTime[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: (100 * ms) / busyMs }));
}

export function summarizeProfile(file: string, n = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, i) => {
    // timeDeltas[i + 1] is the time until the next sample: the time spent in this sample's node.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    totalMs += ms;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    const fn = frame.url
      ? `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
      : frame.functionName || '(anonymous)';
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  });
  const busyMs = Math.max(1, totalMs - idleMs);
  return {
    file,
    totalMs,
    idleMs,
    byFunction: top(byFunction, busyMs, n),
    byPackage: top(byPackage, busyMs, n),
  };
}

function profileFiles(target: string): string[] {
  if (!existsSync(target)) return [];
  if (target.endsWith('.cpuprofile')) return [target];
  return readdirSync(target)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(target, f));
}

const row = (s: SelfTime) =>
  `  ${s.percent.toFixed(1).padStart(5)}%  ${String(s.ms).padStart(7)} ms  ${s.name}`;

/** Prints the top entries of every profile under the given files or directories. */
export function printProfiles(...targets: string[]): void {
  for (const file of targets.flatMap(profileFiles)) {
    const s = summarizeProfile(file);
    const busy = s.totalMs - s.idleMs;
    console.log(`\n${file}: ${Math.round(busy)} ms busy of ${Math.round(s.totalMs)} ms sampled`);
    console.log(' self time by package (share of busy time):');
    for (const e of s.byPackage) console.log(row(e));
    console.log(' self time by function:');
    for (const e of s.byFunction) console.log(row(e));
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  printProfiles(...process.argv.slice(2));
}
