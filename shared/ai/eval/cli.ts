/**
 * `npm run eval:scoring -- <file.jsonl> [--provider heuristic|openai] [--context none] [--min=0.9]
 * [--verbose]`: pairwise
 * accuracy of a provider on a labelled file, beside the trivial baselines. `--context none` scores
 * each reply without the partner's line. Exits 1 when --min is given and not reached (ties count
 * as half), 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { heuristicProvider } from '../heuristic/provider.js';
import type { AiCoreProvider } from '../types.js';
import { parseConfig } from '../../config.js';
import { createScoringSetup } from '../providers.js';
import { evaluatePairs, formatReport, parsePairs } from './pairwise.js';
import { formatUsage, meterProvider } from './usage.js';

const USAGE =
  'usage: eval:scoring -- <file.jsonl> [--provider heuristic|openai] [--context none] [--min=0.9] [--verbose]';

/**
 * The one place a provider is chosen by name. `openai` is built by the same factory as the worker,
 * from the OPENAI_* environment (any OpenAI-compatible endpoint), and checked before the run.
 */
export async function providerFor(name: string): Promise<AiCoreProvider> {
  switch (name) {
    case 'heuristic':
      return heuristicProvider;
    case 'openai': {
      // A command-line tool: it signs no tokens and serves nothing, so JWT_SECRET is not needed.
      const setup = createScoringSetup(
        parseConfig({ ...process.env, NODE_ENV: 'development', SCORING_PROVIDER: 'openai' }),
      );
      await setup.verify();
      return setup.provider;
    }
    default:
      throw new Error(`unknown provider "${name}" (known: heuristic, openai)`);
  }
}

/** Value of `--name=value` or `--name value`. */
function option(argv: readonly string[], name: string): string | undefined {
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq !== undefined) return eq.slice(name.length + 3);
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const valued = new Set(['--context', '--provider']);
  const file = argv.find((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1] ?? ''));
  const context = option(argv, 'context') ?? 'keep';
  const minArg = option(argv, 'min');
  if (file === undefined || (context !== 'keep' && context !== 'none')) {
    console.error(USAGE);
    return 2;
  }
  const metered = meterProvider(await providerFor(option(argv, 'provider') ?? 'heuristic'));
  const { provider } = metered;
  const pairs = parsePairs(readFileSync(file, 'utf8'));
  const report = await evaluatePairs(provider, pairs, { withContext: context === 'keep' });
  console.log(`provider: ${provider.name} ${provider.version}`);
  console.log(formatReport(report));
  console.log(formatUsage(metered.report()));
  if (argv.includes('--verbose'))
    for (const r of report.results) console.log(`  ${r.id}: ${r.betterScore} vs ${r.worseScore}`);
  const min = minArg === undefined ? null : Number(minArg);
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
