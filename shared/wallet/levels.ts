/**
 * Levels derive from lifetime XP: going from level L to L+1 costs 100·L XP, so level L starts at
 * cumulative 50·L·(L−1) XP (level 2 at 100, 3 at 300, 5 at 1000, 10 at 4500).
 */

/** Cumulative XP at which `level` starts. */
export function levelStartXp(level: number): number {
  return 50 * level * (level - 1);
}

export function levelForXp(lifetimeXp: number): number {
  // Solve 50·L·(L−1) ≤ xp for the largest integer L, then correct any floating-point edge.
  let level = Math.max(1, Math.floor((1 + Math.sqrt(1 + lifetimeXp / 12.5)) / 2));
  while (levelStartXp(level + 1) <= lifetimeXp) level++;
  while (level > 1 && levelStartXp(level) > lifetimeXp) level--;
  return level;
}

/**
 * Progress inside the current level: `xpIntoLevel` is XP earned since the level started and
 * `xpForNextLevel` the size of the level's span (100·L), so the bar shows xpIntoLevel / xpForNextLevel.
 */
export function levelProgress(lifetimeXp: number): {
  level: number;
  xpIntoLevel: number;
  xpForNextLevel: number;
} {
  const level = levelForXp(lifetimeXp);
  return { level, xpIntoLevel: lifetimeXp - levelStartXp(level), xpForNextLevel: 100 * level };
}

/** Levels before and after gaining XP, and the gems for levels gained (1 each). */
export function applyXp(
  lifetimeXp: number,
  gainedXp: number,
): { levelBefore: number; levelAfter: number; levelUpGems: number } {
  const levelBefore = levelForXp(lifetimeXp);
  const levelAfter = levelForXp(lifetimeXp + gainedXp);
  return { levelBefore, levelAfter, levelUpGems: levelAfter - levelBefore };
}
