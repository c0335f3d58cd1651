/**
 * Pairwise scoring evaluation: for each labelled pair (context line, better reply, worse reply),
 * does the provider give the better reply a strictly higher AiScoring message score? Ties are
 * reported both as half a point and as misses; see ./stats.ts.
 */
import type { AiCoreProvider, CoreInput, PracticeMode } from '../types.js';
import { messageScore } from '../scoring/session.js';
import {
  accuracyOf,
  baselines,
  bootstrapInterval,
  outcomeOf,
  type Baseline,
  type Interval,
  type Outcome,
} from './stats.js';

export interface PairCase {
  id: string;
  mode: 'text' | 'voice';
  /** The persona's line both replies answer. */
  context: string;
  better: string;
  worse: string;
  why: string;
}

export interface PairResult {
  id: string;
  context: string;
  betterScore: number;
  worseScore: number;
  outcome: Outcome;
  /** The better reply scored strictly higher. */
  correct: boolean;
  why: string;
}

export interface PairwiseReport {
  total: number;
  /** Pairs won outright. */
  correct: number;
  ties: number;
  /** Ties counted as half (0 for an empty set): the headline figure, and what --min checks. */
  accuracy: number;
  /** Ties counted as misses. */
  strictAccuracy: number;
  /** 95% bootstrap interval of `accuracy`, resampling contexts. */
  interval: Interval;
  /** Trivial rules on the same pairs. */
  baselines: Baseline[];
  /** Whether the partner's line was given to the provider. */
  withContext: boolean;
  results: PairResult[];
}

export interface EvaluateOptions {
  /** false: score each reply without the partner's line (shows how much the context is used). */
  withContext?: boolean;
}

/** Parses JSONL (blank lines and `#` comments skipped); throws naming the line on bad input. */
export function parsePairs(jsonl: string): PairCase[] {
  const out: PairCase[] = [];
  jsonl.split(/\r?\n/).forEach((line, i) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`line ${i + 1}: not valid JSON`);
    }
    out.push(toPair(value, i + 1));
  });
  return out;
}

function toPair(value: unknown, line: number): PairCase {
  if (typeof value !== 'object' || value === null)
    throw new Error(`line ${line}: expected an object`);
  const o = value as Record<string, unknown>;
  const str = (key: string, required: boolean): string => {
    const v = o[key];
    if (typeof v === 'string') return v;
    if (!required && (v === undefined || v === null)) return '';
    throw new Error(`line ${line}: "${key}" must be a string`);
  };
  const mode = o.mode ?? 'text';
  if (mode !== 'text' && mode !== 'voice')
    throw new Error(`line ${line}: "mode" must be text or voice`);
  const better = str('better', true);
  const worse = str('worse', true);
  return {
    id: str('id', false) || `line-${line}`,
    mode,
    context: str('context', false),
    better,
    worse,
    why: str('why', false),
  };
}

/** The session a reply is judged in: [AI: context, USER: reply]. */
export function replySession(mode: PracticeMode, context: string, reply: string): CoreInput {
  const messages: CoreInput['messages'] = [];
  if (context.trim() !== '') messages.push({ role: 'AI', content: context });
  messages.push({ role: 'USER', content: reply });
  return { mode, messages };
}

export async function scoreReply(
  provider: AiCoreProvider,
  mode: PracticeMode,
  context: string,
  reply: string,
): Promise<number> {
  const core = await provider.analyze(replySession(mode, context, reply));
  const m = core.messages[0];
  return m === undefined ? 0 : messageScore(m);
}

export async function evaluatePairs(
  provider: AiCoreProvider,
  pairs: readonly PairCase[],
  options: EvaluateOptions = {},
): Promise<PairwiseReport> {
  const withContext = options.withContext ?? true;
  const results: PairResult[] = [];
  for (const p of pairs) {
    const context = withContext ? p.context : '';
    const [betterScore, worseScore] = await Promise.all([
      scoreReply(provider, p.mode, context, p.better),
      scoreReply(provider, p.mode, context, p.worse),
    ]);
    const outcome = outcomeOf(betterScore, worseScore);
    results.push({
      id: p.id,
      context: p.context,
      betterScore,
      worseScore,
      outcome,
      correct: outcome === 'win',
      why: p.why,
    });
  }
  const acc = accuracyOf(results);
  return {
    total: results.length,
    correct: results.filter((r) => r.correct).length,
    ties: acc.ties,
    accuracy: acc.tiesHalf,
    strictAccuracy: acc.tiesMiss,
    interval: bootstrapInterval(results),
    baselines: baselines(pairs),
    withContext,
    results,
  };
}

const pct = (x: number): string => x.toFixed(2);
const range = (i: Interval): string => `[${pct(i.low)}, ${pct(i.high)}]`;

/** Headline accuracy with interval, the strict figure, the baselines, then one line per miss. */
export function formatReport(report: PairwiseReport): string {
  const lines = [
    `accuracy: ${pct(report.accuracy)} (ties as half) 95% CI ${range(report.interval)}`,
    `accuracy, ties as misses: ${pct(report.strictAccuracy)}`,
    `pairs: ${report.correct}/${report.total} correct, ${report.ties} tied` +
      (report.withContext ? '' : ' (context removed)'),
  ];
  for (const b of report.baselines) {
    lines.push(
      `baseline ${b.name}: ${pct(b.accuracy.tiesHalf)} (ties as half) 95% CI ${range(b.interval)}, ` +
        `${pct(b.accuracy.tiesMiss)} ties as misses`,
    );
  }
  for (const r of report.results) {
    if (!r.correct)
      lines.push(
        `${r.outcome === 'tie' ? 'tie' : 'miss'} ${r.id}: better ${r.betterScore} ${r.outcome === 'tie' ? '=' : '<'} worse ${r.worseScore}${r.why ? ` (${r.why})` : ''}`,
      );
  }
  return lines.join('\n');
}
