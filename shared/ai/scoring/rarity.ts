/** The one rarity scale (SCORING.md): message score → rarity → per-message reward. */
export const RARITIES = ['C', 'B', 'A', 'S', 'S+'] as const;
export type Rarity = (typeof RARITIES)[number];

export interface RarityReward {
  /** Lowest message score (inclusive) that reaches this rarity. */
  minScore: number;
  xp: number;
  coins: number;
}

export const RARITY_TABLE: Readonly<Record<Rarity, RarityReward>> = {
  C: { minScore: 0, xp: 4, coins: 1 },
  B: { minScore: 60, xp: 8, coins: 3 },
  A: { minScore: 75, xp: 14, coins: 5 },
  S: { minScore: 85, xp: 20, coins: 7 },
  'S+': { minScore: 95, xp: 28, coins: 9 },
};

/** C 0-59, B 60-74, A 75-84, S 85-94, S+ 95-100 (fractional scores are rounded first). */
export function rarityFor(score: number): Rarity {
  const s = Math.round(score);
  if (s >= RARITY_TABLE['S+'].minScore) return 'S+';
  if (s >= RARITY_TABLE.S.minScore) return 'S';
  if (s >= RARITY_TABLE.A.minScore) return 'A';
  if (s >= RARITY_TABLE.B.minScore) return 'B';
  return 'C';
}

export function emptyRarityCounts(): Record<Rarity, number> {
  return { C: 0, B: 0, A: 0, S: 0, 'S+': 0 };
}
