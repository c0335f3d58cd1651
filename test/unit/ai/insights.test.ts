import { describe, expect, it } from 'vitest';
import { buildInsights, socialTier, traitTrends } from '../../../shared/ai/scoring/insights.js';
import type { SessionScoring } from '../../../shared/ai/scoring/session.js';
import type { CoreResult, MessageAnalysis } from '../../../shared/ai/types.js';

function analysis(index: number, flags: string[]): MessageAnalysis {
  return {
    index,
    traits: {
      confidence: 0,
      clarity: 0,
      humor: 0,
      tensionControl: 0,
      emotionalWarmth: 0,
      dominance: 0,
    },
    label: 'neutral',
    flags,
    tags: [],
    microFeedback: 'x',
    safetyFlag: 'OK',
    wordCount: 1,
    fillerCount: 0,
  };
}

const core: CoreResult = {
  version: 'test',
  provider: 'heuristic',
  messages: [
    analysis(1, ['uncertainty']),
    analysis(3, ['filler', 'uncertainty']),
    analysis(5, []),
    analysis(7, ['low-effort']),
  ],
  metrics: {
    charismaIndex: 60,
    confidence: 70,
    clarity: 80,
    humor: 40,
    tensionControl: 80,
    emotionalWarmth: 55,
    dominance: 40,
    fillerWordsCount: 2,
    totalMessages: 4,
    totalWords: 30,
    wordsPerMinute: null,
  },
};

function scoring(scores: [number, number][]): SessionScoring {
  return {
    score: 0,
    messageScore: 0,
    isSuccess: false,
    messages: scores.map(([index, score]) => ({
      index,
      score,
      rarity: 'C',
      xp: 0,
      coins: 0,
      gems: 0,
    })),
    rarityCounts: { C: 0, B: 0, A: 0, S: 0, 'S+': 0 },
    xpGained: 0,
    coinsGained: 0,
    gemsGained: 0,
    missionBonus: { xp: 0, coins: 0, gems: 0 },
    limitedBy: [],
  };
}

describe('buildInsights', () => {
  const insights = buildInsights(
    core,
    scoring([
      [1, 62],
      [3, 88],
      [5, 62],
      [7, 20],
    ]),
  );

  it('lists the two strongest and two weakest traits (ties in trait order)', () => {
    expect(insights.strongestTraits).toEqual([
      { trait: 'clarity', score: 80 },
      { trait: 'tensionControl', score: 80 },
    ]);
    expect(insights.weakestTraits).toEqual([
      { trait: 'humor', score: 40 },
      { trait: 'dominance', score: 40 },
    ]);
  });

  it('lists up to three best and worst messages (ties: earlier first)', () => {
    expect(insights.topMessages).toEqual([
      { index: 3, score: 88 },
      { index: 1, score: 62 },
      { index: 5, score: 62 },
    ]);
    expect(insights.worstMessages).toEqual([
      { index: 7, score: 20 },
      { index: 1, score: 62 },
      { index: 5, score: 62 },
    ]);
  });

  it('collects distinct flags in order of appearance', () => {
    expect(insights.flags).toEqual(['uncertainty', 'filler', 'low-effort']);
  });

  it('handles a single message', () => {
    const one = buildInsights({ ...core, messages: [analysis(0, [])] }, scoring([[0, 50]]));
    expect(one.topMessages).toEqual([{ index: 0, score: 50 }]);
    expect(one.worstMessages).toEqual([{ index: 0, score: 50 }]);
    expect(one.flags).toEqual([]);
  });
});

describe('socialTier', () => {
  it.each([
    [null, null],
    [0, 'Beginner'],
    [39, 'Beginner'],
    [40, 'Improving'],
    [54.9, 'Improving'],
    [55, 'Competent'],
    [69, 'Competent'],
    [70, 'Skilled'],
    [79, 'Skilled'],
    [80, 'Strong'],
    [89, 'Strong'],
    [90, 'Elite'],
    [96, 'Elite'],
    [97, 'Apex'],
    [100, 'Apex'],
  ] as const)('maps %s to %s', (score, tier) => {
    expect(socialTier(score)).toBe(tier);
  });
});

describe('traitTrends', () => {
  const base = {
    confidence: 50,
    clarity: 50,
    humor: 50,
    tensionControl: 50,
    emotionalWarmth: 50,
    dominance: 50,
  };

  it('compares the newest with the oldest of the last five sessions (±10)', () => {
    const sessions = [
      { ...base, confidence: 60, clarity: 59, humor: 40, tensionControl: 41 }, // newest
      base,
      base,
      base,
      base, // oldest of the window
      { ...base, confidence: 0, humor: 100 }, // outside the window: ignored
    ];
    expect(traitTrends(sessions)).toEqual({
      improvingTraits: ['confidence'],
      decliningTraits: ['humor'],
    });
  });

  it('needs at least two sessions and skips missing values', () => {
    expect(traitTrends([])).toEqual({ improvingTraits: [], decliningTraits: [] });
    expect(traitTrends([base])).toEqual({ improvingTraits: [], decliningTraits: [] });
    expect(
      traitTrends([
        { ...base, clarity: null, dominance: 90 },
        { ...base, clarity: 10 },
      ]),
    ).toEqual({
      improvingTraits: ['dominance'],
      decliningTraits: [],
    });
  });
});
