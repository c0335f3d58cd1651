/**
 * Pairwise scoring evaluation: for each labelled pair (context line, better reply, worse reply),
 * does the provider give the better reply a strictly higher AiScoring message score?
 */
import type { AiCoreProvider, CoreInput, PracticeMode } from '../types.js';
import { messageScore } from '../scoring/session.js';

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
  betterScore: number;
  worseScore: number;
  correct: boolean;
  why: string;
}

export interface PairwiseReport {
  total: number;
  correct: number;
  /** correct / total (0 for an empty set). */
  accuracy: number;
  results: PairResult[];
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
): Promise<PairwiseReport> {
  const results: PairResult[] = [];
  for (const p of pairs) {
    const [betterScore, worseScore] = await Promise.all([
      scoreReply(provider, p.mode, p.context, p.better),
      scoreReply(provider, p.mode, p.context, p.worse),
    ]);
    results.push({
      id: p.id,
      betterScore,
      worseScore,
      correct: betterScore > worseScore,
      why: p.why,
    });
  }
  const correct = results.filter((r) => r.correct).length;
  return {
    total: results.length,
    correct,
    accuracy: results.length === 0 ? 0 : correct / results.length,
    results,
  };
}

/** `accuracy: 0.NN` then one line per miss. */
export function formatReport(report: PairwiseReport): string {
  const lines = [
    `accuracy: ${report.accuracy.toFixed(2)}`,
    `pairs: ${report.correct}/${report.total} correct`,
  ];
  for (const r of report.results) {
    if (!r.correct)
      lines.push(
        `miss ${r.id}: better ${r.betterScore} <= worse ${r.worseScore}${r.why ? ` (${r.why})` : ''}`,
      );
  }
  return lines.join('\n');
}
