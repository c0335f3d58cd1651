import { describe, expect, it } from 'vitest';
import { applyXp, levelForXp, levelProgress, levelStartXp } from '../../../shared/wallet/levels.js';

describe('levels', () => {
  it.each([
    [1, 0],
    [2, 100],
    [3, 300],
    [4, 600],
    [5, 1000],
    [10, 4500],
    [100, 495_000],
  ])('level %i starts at %i XP', (level, xp) => {
    expect(levelStartXp(level)).toBe(xp);
    expect(levelForXp(xp)).toBe(level);
    expect(levelForXp(xp - 1)).toBe(Math.max(1, level - 1));
  });

  it('treats negative and non-finite XP as 0', () => {
    expect(levelForXp(-50)).toBe(1);
    expect(levelForXp(Number.NaN)).toBe(1);
    expect(levelProgress(-5)).toEqual({ level: 1, xpIntoLevel: 0, xpForNextLevel: 100 });
  });

  it('reports progress inside the current level and the size of its span', () => {
    expect(levelProgress(0)).toEqual({ level: 1, xpIntoLevel: 0, xpForNextLevel: 100 });
    expect(levelProgress(99)).toEqual({ level: 1, xpIntoLevel: 99, xpForNextLevel: 100 });
    expect(levelProgress(100)).toEqual({ level: 2, xpIntoLevel: 0, xpForNextLevel: 200 });
    expect(levelProgress(350)).toEqual({ level: 3, xpIntoLevel: 50, xpForNextLevel: 300 });
    expect(levelProgress(4600)).toEqual({ level: 10, xpIntoLevel: 100, xpForNextLevel: 1000 });
  });

  it('grants no gems without a level-up', () => {
    expect(applyXp(0, 99)).toEqual({ levelBefore: 1, levelAfter: 1, levelUpGems: 0 });
    expect(applyXp(150, 0)).toEqual({ levelBefore: 2, levelAfter: 2, levelUpGems: 0 });
  });

  it('grants one gem for reaching the next level exactly', () => {
    expect(applyXp(99, 1)).toEqual({ levelBefore: 1, levelAfter: 2, levelUpGems: 1 });
    expect(applyXp(250, 50)).toEqual({ levelBefore: 2, levelAfter: 3, levelUpGems: 1 });
  });

  it('grants one gem per level on a multi-level jump', () => {
    expect(applyXp(0, 1000)).toEqual({ levelBefore: 1, levelAfter: 5, levelUpGems: 4 });
    expect(applyXp(950, 3600)).toEqual({ levelBefore: 4, levelAfter: 10, levelUpGems: 6 });
  });

  it('ignores negative gains', () => {
    expect(applyXp(500, -400)).toEqual({ levelBefore: 3, levelAfter: 3, levelUpGems: 0 });
  });
});
