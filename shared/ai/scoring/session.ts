/**
 * AiScoring for a session: pure game math over AiCore metrics (SCORING.md). Whichever provider
 * produced the CoreResult, the same metrics give the same score and rewards.
 */
import { charismaIndex } from '../metrics.js';
import type { CoreResult, MessageAnalysis } from '../types.js';
import { emptyRarityCounts, RARITY_TABLE, rarityFor, type Rarity } from './rarity.js';

/** Per-session caps on message rewards; the mission bonus is outside them. */
export const SESSION_XP_CAP = 120;
export const SESSION_COIN_CAP = 40;
/** At most one gem per session, for the first S+ message. */
export const SESSION_MAX_GEMS = 1;
export const DEFAULT_PASS_SCORE = 60;
/**
 * Points taken off the charisma index for a flag. 15 is one rarity band's width: a low-effort
 * reply (traits already capped near 30) or a put-down drops a tier on top of its weak traits, so
 * neither can out-score a genuine reply by being blunt.
 */
export const FLAG_PENALTIES: Readonly<Record<string, number>> = { 'low-effort': 15, rude: 15 };

export interface Reward {
  xp: number;
  coins: number;
  gems: number;
}

export interface MessageScoring extends Reward {
  index: number;
  score: number;
  rarity: Rarity;
}

export interface SessionScoring {
  /** round(mean of message scores). */
  score: number;
  /** Unrounded mean of message scores, rounded to 2 decimals. */
  messageScore: number;
  isSuccess: boolean;
  messages: MessageScoring[];
  rarityCounts: Record<Rarity, number>;
  /** Totals including the mission bonus. */
  xpGained: number;
  coinsGained: number;
  gemsGained: number;
  missionBonus: Reward;
}

export interface ScoreSessionOptions {
  /** Template pass score; null/undefined → 60. */
  passScore?: number | null;
  /** Template rewards, granted on success only. */
  mission?: Reward | null;
}

/** Message score 0-100: the charisma index of its traits minus flag penalties; BLOCK → 0. */
export function messageScore(m: Pick<MessageAnalysis, 'traits' | 'flags' | 'safetyFlag'>): number {
  if (m.safetyFlag === 'BLOCK') return 0;
  let penalty = 0;
  for (const flag of new Set(m.flags)) penalty += FLAG_PENALTIES[flag] ?? 0;
  return Math.max(0, Math.min(100, charismaIndex(m.traits) - penalty));
}

export function scoreSession(core: CoreResult, opts: ScoreSessionOptions = {}): SessionScoring {
  const rarityCounts = emptyRarityCounts();
  const messages: MessageScoring[] = [];
  let xp = 0;
  let coins = 0;
  let gems = 0;
  let sum = 0;
  for (const m of core.messages) {
    const score = messageScore(m);
    const rarity = rarityFor(score);
    sum += score;
    rarityCounts[rarity]++;
    const blocked = m.safetyFlag === 'BLOCK';
    const table = RARITY_TABLE[rarity];
    // Credited in order: the message that crosses a cap gets the remainder, later ones nothing.
    const mxp = blocked ? 0 : Math.min(table.xp, SESSION_XP_CAP - xp);
    const mcoins = blocked ? 0 : Math.min(table.coins, SESSION_COIN_CAP - coins);
    const mgems = !blocked && rarity === 'S+' && gems < SESSION_MAX_GEMS ? 1 : 0;
    xp += mxp;
    coins += mcoins;
    gems += mgems;
    messages.push({ index: m.index, score, rarity, xp: mxp, coins: mcoins, gems: mgems });
  }
  const count = core.messages.length;
  const mean = count === 0 ? 0 : sum / count;
  const score = Math.round(mean);
  const isSuccess = count > 0 && score >= (opts.passScore ?? DEFAULT_PASS_SCORE);
  const mission = opts.mission;
  const missionBonus: Reward =
    isSuccess && mission
      ? { xp: mission.xp, coins: mission.coins, gems: mission.gems }
      : { xp: 0, coins: 0, gems: 0 };
  return {
    score,
    messageScore: Math.round(mean * 100) / 100,
    isSuccess,
    messages,
    rarityCounts,
    xpGained: xp + missionBonus.xp,
    coinsGained: coins + missionBonus.coins,
    gemsGained: gems + missionBonus.gems,
    missionBonus,
  };
}
