import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluatePairs, formatReport, parsePairs } from '../../../shared/ai/eval/pairwise.js';
import { heuristicProvider } from '../../../shared/ai/heuristic/provider.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const EXTRA = here('./fixtures/extra-pairs.jsonl');
const CONTEXT = here('./fixtures/context-pairs.jsonl');
/** The published set lives next to the repository (../shared/scoring-eval). */
const PUBLIC = here('../../../../shared/scoring-eval/public.jsonl');
/** Development sets of human judgements: read where present, never committed (see their README). */
const HUMAN = here('../../../../shared/scoring-eval/human/');
const human = (name: string): string => `${HUMAN}usr-personachat-${name}.jsonl`;

describe('parsePairs', () => {
  it('parses JSONL, skipping blank and comment lines', () => {
    const pairs = parsePairs(
      '{"id":"a","mode":"voice","context":"Hi","better":"Hey!","worse":"hi","why":"w"}\n\n# note\n' +
        '{"context":"Hi","better":"Hello there","worse":"k"}\n',
    );
    expect(pairs).toEqual([
      { id: 'a', mode: 'voice', context: 'Hi', better: 'Hey!', worse: 'hi', why: 'w' },
      { id: 'line-4', mode: 'text', context: 'Hi', better: 'Hello there', worse: 'k', why: '' },
    ]);
  });

  it('names the bad line', () => {
    expect(() => parsePairs('{"better":"a","worse":"b"}\nnot json')).toThrow('line 2');
    expect(() => parsePairs('{"better":"a"}')).toThrow('"worse"');
    expect(() => parsePairs('{"better":"a","worse":"b","mode":"video"}')).toThrow('mode');
  });
});

describe('evaluatePairs', () => {
  it('counts ties as half and as misses, beside the trivial baselines', async () => {
    const report = await evaluatePairs(
      heuristicProvider,
      parsePairs(
        '{"id":"ok","context":"Any plans?","better":"Farmers market Saturday, then a bike ride. You?","worse":"no"}\n' +
          '{"id":"tie","context":"Any plans?","better":"no","worse":"no"}\n',
      ),
    );
    expect(report.correct).toBe(1);
    expect(report.ties).toBe(1);
    expect(report.accuracy).toBe(0.75);
    expect(report.strictAccuracy).toBe(0.5);
    expect(report.baselines.map((b) => [b.name, b.accuracy.tiesHalf])).toEqual([
      ['longer reply wins', 0.75],
      ['reply with a question wins', 0.75],
    ]);
    expect(formatReport(report).split('\n')).toEqual([
      expect.stringMatching(/^accuracy: 0\.75 \(ties as half\) 95% CI \[0\.\d\d, \d\.\d\d\]$/),
      'accuracy, ties as misses: 0.50',
      'pairs: 1/2 correct, 1 tied',
      expect.stringMatching(/^baseline longer reply wins: 0\.75 /),
      expect.stringMatching(/^baseline reply with a question wins: 0\.75 /),
      expect.stringMatching(/^tie tie: better \d+ = worse \d+$/),
    ]);
  });

  it('can score without the context line', async () => {
    const pairs = parsePairs(
      '{"id":"a","context":"Any plans?","better":"Farmers market Saturday. You?","worse":"no"}',
    );
    const report = await evaluatePairs(heuristicProvider, pairs, { withContext: false });
    expect(report.withContext).toBe(false);
    expect(report.total).toBe(1);
  });

  it('ranks at least 90% of our own extra pairs correctly', async () => {
    const report = await evaluatePairs(heuristicProvider, parsePairs(readFileSync(EXTRA, 'utf8')));
    expect(report.total).toBeGreaterThanOrEqual(20);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it.skipIf(!existsSync(PUBLIC))('ranks at least 90% of the public pairs correctly', async () => {
    const report = await evaluatePairs(heuristicProvider, parsePairs(readFileSync(PUBLIC, 'utf8')));
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

/**
 * Regression floors, a little under the measured figures (docs/scoring.md) so that noise does not
 * fail the build but a real loss does.
 */
describe('regression floors on the development files', () => {
  const load = async (file: string, withContext = true) =>
    evaluatePairs(heuristicProvider, parsePairs(readFileSync(file, 'utf8')), { withContext });

  it('ranks our own context pairs', async () => {
    const report = await load(CONTEXT);
    expect(report.total).toBeGreaterThanOrEqual(20);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it.skipIf(!existsSync(human('overall')))(
    'beats length on human overall judgements and uses the context',
    async () => {
      const report = await load(human('overall'));
      const length = report.baselines.find((b) => b.name === 'longer reply wins');
      expect(report.accuracy).toBeGreaterThanOrEqual(0.75);
      expect(report.accuracy).toBeGreaterThan(length?.accuracy.tiesHalf ?? 1);
      expect((await load(human('overall'), false)).accuracy).toBeLessThan(report.accuracy - 0.03);
    },
  );

  it.skipIf(!existsSync(human('engaging')))(
    'beats length on human engagingness judgements',
    async () => {
      const report = await load(human('engaging'));
      const length = report.baselines.find((b) => b.name === 'longer reply wins');
      expect(report.accuracy).toBeGreaterThanOrEqual(0.85);
      expect(report.accuracy).toBeGreaterThan(length?.accuracy.tiesHalf ?? 1);
    },
  );
});
