/**
 * `npm run eval:scoring -- <file.jsonl> [--min=0.9] [--verbose]`: pairwise accuracy of the
 * heuristic provider on a labelled file. Exits 1 when --min is given and not reached, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { heuristicProvider } from '../heuristic/provider.js';
import { evaluatePairs, formatReport, parsePairs } from './pairwise.js';

async function main(argv: readonly string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith('--'));
  const minArg = argv.find((a) => a.startsWith('--min='));
  const verbose = argv.includes('--verbose');
  if (file === undefined) {
    console.error('usage: eval:scoring -- <file.jsonl> [--min=0.9] [--verbose]');
    return 2;
  }
  const pairs = parsePairs(readFileSync(file, 'utf8'));
  const report = await evaluatePairs(heuristicProvider, pairs);
  console.log(formatReport(report));
  if (verbose)
    for (const r of report.results) console.log(`  ${r.id}: ${r.betterScore} vs ${r.worseScore}`);
  const min = minArg === undefined ? null : Number(minArg.slice('--min='.length));
  return min !== null && report.accuracy < min ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  },
);
