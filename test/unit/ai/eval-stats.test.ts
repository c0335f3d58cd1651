import { describe, expect, it } from 'vitest';
import {
  accuracyOf,
  baselines,
  bootstrapInterval,
  outcomeOf,
  seededRandom,
} from '../../../shared/ai/eval/stats.js';

describe('eval statistics', () => {
  it('counts ties as half and as misses', () => {
    const items = [
      { context: 'a', outcome: outcomeOf(2, 1) },
      { context: 'a', outcome: outcomeOf(1, 1) },
      { context: 'b', outcome: outcomeOf(0, 1) },
      { context: 'b', outcome: outcomeOf(3, 1) },
    ];
    expect(accuracyOf(items)).toEqual({ tiesHalf: 0.625, tiesMiss: 0.5, ties: 1 });
  });

  it('gives the same interval on every run, containing the point estimate', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      context: `c${i % 10}`,
      outcome: outcomeOf(i % 3, 1),
    }));
    const a = bootstrapInterval(items);
    expect(bootstrapInterval(items)).toEqual(a);
    const point = accuracyOf(items).tiesHalf;
    expect(a.low).toBeLessThanOrEqual(point);
    expect(a.high).toBeGreaterThanOrEqual(point);
    expect(a.high - a.low).toBeGreaterThan(0);
  });

  it('resamples whole contexts: one context gives a zero-width interval', () => {
    const items = [
      { context: 'x', outcome: outcomeOf(1, 0) },
      { context: 'x', outcome: outcomeOf(0, 1) },
    ];
    expect(bootstrapInterval(items)).toEqual({ low: 0.5, high: 0.5 });
  });

  it('seeds a repeatable random sequence in [0, 1)', () => {
    const r1 = seededRandom(7);
    const r2 = seededRandom(7);
    const xs = [r1(), r1(), r1()];
    expect([r2(), r2(), r2()]).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('scores the length and question baselines with ties as half', () => {
    const [length, question] = baselines([
      { context: 'c', better: 'a longer reply here?', worse: 'short' },
      { context: 'c', better: 'same size', worse: 'also same?' },
    ]);
    expect(length?.accuracy.tiesHalf).toBe(0.75);
    expect(question?.accuracy.tiesHalf).toBe(0.5);
  });
});
