import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PASS_SCORE,
  messageScore,
  rarityFor,
  RARITY_TABLE,
  scoreSession,
  SESSION_COIN_CAP,
  SESSION_XP_CAP,
} from '../../../shared/ai/scoring/index.js';
import type { CoreResult, MessageAnalysis, SafetyFlag, Traits } from '../../../shared/ai/types.js';

/** Traits whose charisma index is exactly `score` (the weights sum to 1). */
function flat(score: number): Traits {
  return {
    confidence: score,
    clarity: score,
    humor: score,
    tensionControl: score,
    emotionalWarmth: score,
    dominance: score,
  };
}

function msg(
  index: number,
  score: number,
  opts: { flags?: string[]; safetyFlag?: SafetyFlag } = {},
): MessageAnalysis {
  return {
    index,
    traits: flat(score),
    label: 'neutral',
    flags: opts.flags ?? [],
    tags: [],
    microFeedback: 'x',
    safetyFlag: opts.safetyFlag ?? 'OK',
    wordCount: 5,
    fillerCount: 0,
  };
}

function core(messages: MessageAnalysis[]): CoreResult {
  return {
    version: 'test',
    provider: 'heuristic',
    messages,
    metrics: {
      charismaIndex: 0,
      ...flat(0),
      fillerWordsCount: 0,
      totalMessages: messages.length,
      totalWords: 0,
      wordsPerMinute: null,
    },
  };
}

describe('rarityFor', () => {
  it.each([
    [0, 'C'],
    [59, 'C'],
    [60, 'B'],
    [74, 'B'],
    [75, 'A'],
    [84, 'A'],
    [85, 'S'],
    [94, 'S'],
    [95, 'S+'],
    [100, 'S+'],
  ] as const)('maps %i to %s', (score, rarity) => {
    expect(rarityFor(score)).toBe(rarity);
  });

  it('pins the reward table', () => {
    expect(RARITY_TABLE).toEqual({
      C: { minScore: 0, xp: 4, coins: 1 },
      B: { minScore: 60, xp: 8, coins: 3 },
      A: { minScore: 75, xp: 14, coins: 5 },
      S: { minScore: 85, xp: 20, coins: 7 },
      'S+': { minScore: 95, xp: 28, coins: 9 },
    });
  });
});

describe('messageScore', () => {
  it('is the charisma index of the traits', () => {
    expect(messageScore(msg(0, 77))).toBe(77);
  });

  it('takes 15 off for low effort and for rudeness, never below 0', () => {
    expect(messageScore(msg(0, 40, { flags: ['low-effort'] }))).toBe(25);
    expect(messageScore(msg(0, 40, { flags: ['low-effort', 'rude'] }))).toBe(10);
    expect(messageScore(msg(0, 10, { flags: ['low-effort', 'rude'] }))).toBe(0);
  });

  it('ignores flags that carry no penalty', () => {
    expect(messageScore(msg(0, 70, { flags: ['uncertainty', 'filler'] }))).toBe(70);
  });

  it('is 0 for BLOCK content whatever the traits', () => {
    expect(messageScore(msg(0, 99, { safetyFlag: 'BLOCK', flags: ['unsafe'] }))).toBe(0);
  });
});

describe('scoreSession', () => {
  it('rewards each message from the rarity table and counts rarities', () => {
    const result = scoreSession(core([msg(0, 50), msg(2, 60), msg(4, 75), msg(6, 85), msg(8, 95)]));
    expect(result.messages).toEqual([
      { index: 0, score: 50, rarity: 'C', xp: 4, coins: 1, gems: 0 },
      { index: 2, score: 60, rarity: 'B', xp: 8, coins: 3, gems: 0 },
      { index: 4, score: 75, rarity: 'A', xp: 14, coins: 5, gems: 0 },
      { index: 6, score: 85, rarity: 'S', xp: 20, coins: 7, gems: 0 },
      { index: 8, score: 95, rarity: 'S+', xp: 28, coins: 9, gems: 1 },
    ]);
    expect(result.rarityCounts).toEqual({ C: 1, B: 1, A: 1, S: 1, 'S+': 1 });
    expect(result.xpGained).toBe(74);
    expect(result.coinsGained).toBe(25);
    expect(result.gemsGained).toBe(1);
  });

  it('score is the rounded mean, messageScore the mean to 2 decimals', () => {
    const result = scoreSession(core([msg(0, 70), msg(1, 71), msg(2, 71)]));
    expect(result.messageScore).toBe(70.67);
    expect(result.score).toBe(71);
  });

  it('caps XP at 120 and coins at 40; the crossing message gets the remainder, later ones 0', () => {
    const result = scoreSession(core(Array.from({ length: 8 }, (_, i) => msg(i, 98))));
    expect(result.xpGained).toBe(SESSION_XP_CAP);
    expect(result.coinsGained).toBe(SESSION_COIN_CAP);
    expect(result.messages.map((m) => m.xp)).toEqual([28, 28, 28, 28, 8, 0, 0, 0]);
    expect(result.messages.map((m) => m.coins)).toEqual([9, 9, 9, 9, 4, 0, 0, 0]);
    expect(result.rarityCounts['S+']).toBe(8);
  });

  it('grants at most one gem, on the first S+ message', () => {
    const result = scoreSession(core([msg(0, 80), msg(1, 96), msg(2, 97), msg(3, 100)]));
    expect(result.gemsGained).toBe(1);
    expect(result.messages.map((m) => m.gems)).toEqual([0, 1, 0, 0]);
  });

  it('BLOCK messages earn nothing and count as 0', () => {
    const result = scoreSession(
      core([msg(0, 99, { safetyFlag: 'BLOCK', flags: ['unsafe'] }), msg(1, 80)]),
    );
    expect(result.messages[0]).toEqual({
      index: 0,
      score: 0,
      rarity: 'C',
      xp: 0,
      coins: 0,
      gems: 0,
    });
    expect(result.xpGained).toBe(14);
    expect(result.gemsGained).toBe(0);
    expect(result.score).toBe(40);
  });

  it('succeeds at the default pass score of 60 and not below', () => {
    expect(DEFAULT_PASS_SCORE).toBe(60);
    expect(scoreSession(core([msg(0, 60)])).isSuccess).toBe(true);
    expect(scoreSession(core([msg(0, 59)])).isSuccess).toBe(false);
    expect(scoreSession(core([msg(0, 60)]), { passScore: null }).isSuccess).toBe(true);
  });

  it('uses a custom pass score', () => {
    expect(scoreSession(core([msg(0, 70)]), { passScore: 75 }).isSuccess).toBe(false);
    expect(scoreSession(core([msg(0, 75)]), { passScore: 75 }).isSuccess).toBe(true);
    expect(scoreSession(core([msg(0, 30)]), { passScore: 25 }).isSuccess).toBe(true);
  });

  it('adds the mission bonus on success, outside the caps', () => {
    const mission = { xp: 50, coins: 20, gems: 2 };
    const result = scoreSession(core(Array.from({ length: 8 }, (_, i) => msg(i, 98))), { mission });
    expect(result.missionBonus).toEqual(mission);
    expect(result.xpGained).toBe(120 + 50);
    expect(result.coinsGained).toBe(40 + 20);
    expect(result.gemsGained).toBe(1 + 2);
  });

  it('gives no mission bonus on failure', () => {
    const result = scoreSession(core([msg(0, 40)]), { mission: { xp: 50, coins: 20, gems: 2 } });
    expect(result.isSuccess).toBe(false);
    expect(result.missionBonus).toEqual({ xp: 0, coins: 0, gems: 0 });
    expect(result.xpGained).toBe(4);
  });

  it('gives no mission bonus without a mission', () => {
    const result = scoreSession(core([msg(0, 90)]), { mission: null });
    expect(result.missionBonus).toEqual({ xp: 0, coins: 0, gems: 0 });
  });

  it('does not divide by zero without USER messages', () => {
    const result = scoreSession(core([]));
    expect(result.score).toBe(0);
    expect(result.messageScore).toBe(0);
    expect(result.isSuccess).toBe(false);
    expect(result.xpGained).toBe(0);
  });
});

describe('scoreSession: the session’s own fair-play rules', () => {
  it('pays nothing for low-effort messages, whose score still counts', () => {
    const kk = Array.from({ length: 60 }, (_, i) => msg(i, 30, { flags: ['low-effort'] }));
    const result = scoreSession(core(kk));
    expect(result.score).toBe(15);
    expect(result.xpGained).toBe(0);
    expect(result.coinsGained).toBe(0);
    expect(result.messages.every((m) => m.withheld === 'LOW_EFFORT' && m.xp === 0)).toBe(true);
    expect(result.limitedBy).toEqual(['LOW_EFFORT']);
  });

  it('pays nothing for a message repeating an earlier USER message of the session', () => {
    const texts = new Map([
      [1, 'What got you into climbing?'],
      [3, 'Do you go on weekends too?'],
      [5, 'what got you into CLIMBING'],
    ]);
    const result = scoreSession(core([msg(1, 80), msg(3, 80), msg(5, 80)]), { texts });
    expect(result.messages.map((m) => [m.xp, m.withheld])).toEqual([
      [14, undefined],
      [14, undefined],
      [0, 'REPEATED_MESSAGE'],
    ]);
    expect(result.xpGained).toBe(28);
    expect(result.score).toBe(80);
    expect(result.limitedBy).toEqual(['REPEATED_MESSAGE']);
  });

  it('repeats of one S+ line earn one gem once', () => {
    const texts = new Map([0, 1, 2].map((i) => [i, 'The same brilliant line']));
    const result = scoreSession(core([msg(0, 97), msg(1, 97), msg(2, 97)]), { texts });
    expect(result.xpGained).toBe(28);
    expect(result.gemsGained).toBe(1);
  });

  it('caps a session that does not succeed at half: 60 XP and 20 coins', () => {
    const many = Array.from({ length: 30 }, (_, i) => msg(i, 50));
    const result = scoreSession(core(many));
    expect(result.isSuccess).toBe(false);
    expect(result.xpGained).toBe(SESSION_XP_CAP / 2);
    expect(result.coinsGained).toBe(SESSION_COIN_CAP / 2);
    expect(result.limitedBy).toEqual(['NOT_PASSED_HALF_CAPS']);
    // The crossing message gets the remainder, later ones nothing.
    expect(result.messages.slice(14, 17).map((m) => m.xp)).toEqual([4, 0, 0]);
  });

  it('caps by the success the mission’s pass score decides', () => {
    const many = Array.from({ length: 10 }, (_, i) => msg(i, 80));
    expect(scoreSession(core(many), { passScore: 70 }).xpGained).toBe(120);
    const failed = scoreSession(core(many), { passScore: 90 });
    expect(failed.xpGained).toBe(60);
    expect(failed.coinsGained).toBe(20);
  });

  it('names no limit when the half caps took nothing', () => {
    expect(scoreSession(core([msg(0, 40), msg(1, 40)])).limitedBy).toEqual([]);
  });
});
