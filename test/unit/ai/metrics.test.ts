import { describe, expect, it } from 'vitest';
import {
  aggregateSession,
  charismaIndex,
  labelFor,
  meanTraits,
  wordsPerMinute,
} from '../../../shared/ai/metrics.js';
import type { MessageAnalysis, Traits } from '../../../shared/ai/types.js';

const t = (c: number, cl: number, w: number, h: number, tc: number, d = 0): Traits => ({
  confidence: c,
  clarity: cl,
  emotionalWarmth: w,
  humor: h,
  tensionControl: tc,
  dominance: d,
});

describe('charismaIndex', () => {
  it('is round(0.30·conf + 0.25·clarity + 0.20·warmth + 0.15·humor + 0.10·tension)', () => {
    expect(charismaIndex(t(100, 0, 0, 0, 0))).toBe(30);
    expect(charismaIndex(t(0, 100, 0, 0, 0))).toBe(25);
    expect(charismaIndex(t(0, 0, 100, 0, 0))).toBe(20);
    expect(charismaIndex(t(0, 0, 0, 100, 0))).toBe(15);
    expect(charismaIndex(t(0, 0, 0, 0, 100))).toBe(10);
    expect(charismaIndex(t(0, 0, 0, 0, 0, 100))).toBe(0);
    // 20.4 + 20 + 14.8 + 8.25 + 7 = 70.45 (API.md's example shows 71 for these; the formula gives 70).
    expect(charismaIndex(t(68, 80, 74, 55, 70))).toBe(70);
  });
});

describe('labelFor', () => {
  it.each([
    [100, 'great'],
    [85, 'great'],
    [84, 'good'],
    [70, 'good'],
    [69, 'neutral'],
    [50, 'neutral'],
    [49, 'weak'],
    [30, 'weak'],
    [29, 'cringe'],
    [0, 'cringe'],
  ] as const)('labels %i as %s', (score, label) => {
    expect(labelFor(score)).toBe(label);
  });
});

describe('session aggregation', () => {
  it('takes the rounded mean of each trait', () => {
    expect(meanTraits([t(60, 70, 80, 50, 41), t(61, 70, 80, 50, 40)])).toEqual(
      t(61, 70, 80, 50, 41),
    );
    expect(meanTraits([])).toEqual(t(0, 0, 0, 0, 0));
  });

  it('sums words and fillers and computes pace for voice only', () => {
    const m = (traits: Traits, wordCount: number, fillerCount: number): MessageAnalysis => ({
      index: 0,
      traits,
      label: 'neutral',
      flags: [],
      tags: [],
      microFeedback: '',
      safetyFlag: 'OK',
      wordCount,
      fillerCount,
    });
    const msgs = [m(t(80, 80, 80, 80, 80), 100, 3), m(t(60, 60, 60, 60, 60), 50, 1)];
    const voice = aggregateSession(msgs, { mode: 'voice', durationSec: 60 });
    expect(voice).toMatchObject({
      charismaIndex: 70,
      confidence: 70,
      fillerWordsCount: 4,
      totalMessages: 2,
      totalWords: 150,
      wordsPerMinute: 150,
    });
    expect(aggregateSession(msgs, { mode: 'text', durationSec: 60 }).wordsPerMinute).toBeNull();
    expect(wordsPerMinute(150, 0)).toBeNull();
    expect(wordsPerMinute(150, null)).toBeNull();
    expect(wordsPerMinute(145, 60)).toBe(145);
  });
});
