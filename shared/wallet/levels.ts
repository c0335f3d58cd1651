/**
 * Level math (SCORING.md). Going from level L to L+1 costs 100·L XP, so level L starts at
 * cumulative 50·L·(L−1) lifetime XP: level 1 at 0, 2 at 100, 3 at 300, 5 at 1000, 10 at 4500.
 * Pure: the wallet module stores the level in the same transaction as the XP.
 */

/** XP it costs to go from level L to L+1. */
export const XP_PER_LEVEL_STEP = 100;

/** Cumulative lifetime XP at which `level` starts (level ≥ 1). */
export function levelStartXp(level: number): number {
  const l = Math.max(1, Math.floor(level));
  return (XP_PER_LEVEL_STEP / 2) * l * (l - 1);
}

/** The level reached with `lifetimeXp` (negative or non-finite XP counts as 0 → level 1). */
export function levelForXp(lifetimeXp: number): number {
  const xp = Number.isFinite(lifetimeXp) ? Math.max(0, Math.floor(lifetimeXp)) : 0;
  // Largest L with 50·L·(L−1) ≤ xp, i.e. L ≤ (1 + √(1 + xp/12.5)) / 2; nudged for float error.
  let level = Math.max(1, Math.floor((1 + Math.sqrt(1 + xp / 12.5)) / 2));
  while (levelStartXp(level + 1) <= xp) level++;
  while (level > 1 && levelStartXp(level) > xp) level--;
  return level;
}

export interface LevelProgress {
  level: number;
  /** lifetimeXp − the XP at which the current level started. */
  xpIntoLevel: number;
  /**
   * Size of the current level's span (100·level): the XP between the start of this level and the
   * next. XP still needed is `xpForNextLevel − xpIntoLevel`.
   */
  xpForNextLevel: number;
}

export function levelProgress(lifetimeXp: number): LevelProgress {
  const level = levelForXp(lifetimeXp);
  const xp = Number.isFinite(lifetimeXp) ? Math.max(0, Math.floor(lifetimeXp)) : 0;
  return {
    level,
    xpIntoLevel: xp - levelStartXp(level),
    xpForNextLevel: XP_PER_LEVEL_STEP * level,
  };
}

/** Gems granted for each level gained. */
export const GEMS_PER_LEVEL_UP = 1;

export interface XpApplication {
  levelBefore: number;
  levelAfter: number;
  /** 1 per level gained (a jump of several levels grants several gems). */
  levelUpGems: number;
}

/** Levels before/after adding `gainedXp` (negative gains are ignored) and the level-up gems. */
export function applyXp(lifetimeXp: number, gainedXp: number): XpApplication {
  const levelBefore = levelForXp(lifetimeXp);
  const gain = Number.isFinite(gainedXp) ? Math.max(0, gainedXp) : 0;
  const levelAfter = levelForXp(Math.max(0, lifetimeXp) + gain);
  return { levelBefore, levelAfter, levelUpGems: (levelAfter - levelBefore) * GEMS_PER_LEVEL_UP };
}
