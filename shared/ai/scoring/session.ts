/**
 * AiScoring for a session: pure game math over AiCore metrics (SCORING.md). Whichever provider
 * produced the CoreResult, the same metrics give the same score and rewards.
 */
import {
  capsFor,
  withheldMessages,
  type FairPlayLimit,
  type MessageWithheld,
} from '../../fair-play/index.js';
import { charismaIndex } from '../metrics.js';
import type { CoreResult, MessageAnalysis } from '../types.js';
import { emptyRarityCounts, RARITY_TABLE, rarityFor, type Rarity } from './rarity.js';

/**
 * Per-session caps on message rewards; the mission bonus is outside them. A session that does not
 * succeed gets half of each (fair play).
 */
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
  /** Set when fair play says the message earns nothing (its score stands). */
  withheld?: MessageWithheld;
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
  /** Fair-play rules that took something away, in order (the apply may add the daily ones). */
  limitedBy: FairPlayLimit[];
}

export interface ScoreSessionOptions {
  /** Template pass score; null/undefined → 60. */
  passScore?: number | null;
  /** Template rewards, granted on success only. */
  mission?: Reward | null;
  /**
   * What each USER message says, by index: a message repeating an earlier one earns nothing.
   * Without it only the low-effort rule applies.
   */
  texts?: ReadonlyMap<number, string> | null;
}

/** Message score 0-100: the charisma index of its traits minus flag penalties; BLOCK → 0. */
export function messageScore(m: Pick<MessageAnalysis, 'traits' | 'flags' | 'safetyFlag'>): number {
  if (m.safetyFlag === 'BLOCK') return 0;
  let penalty = 0;
  for (const flag of new Set(m.flags)) penalty += FLAG_PENALTIES[flag] ?? 0;
  return Math.max(0, Math.min(100, charismaIndex(m.traits) - penalty));
}

/**
 * Scores a session and credits its rewards (SCORING.md, AiScoring and the session's own fair-play
 * rules): the score and success come first, since a session that does not succeed has half caps;
 * then messages are credited in order — BLOCK, low-effort and repeated messages earn nothing, the
 * message that crosses a cap gets the remainder, later ones 0 — and the mission bonus on success.
 */
export function scoreSession(core: CoreResult, opts: ScoreSessionOptions = {}): SessionScoring {
  const scores = core.messages.map((m) => messageScore(m));
  const count = scores.length;
  const mean = count === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / count;
  const score = Math.round(mean);
  const isSuccess = count > 0 && score >= (opts.passScore ?? DEFAULT_PASS_SCORE);
  const caps = capsFor(isSuccess, { xp: SESSION_XP_CAP, coins: SESSION_COIN_CAP });
  const withheld = withheldMessages(
    core.messages.map((m) => ({
      index: m.index,
      flags: m.flags,
      text: opts.texts?.get(m.index) ?? null,
    })),
  );
  const rarityCounts = emptyRarityCounts();
  const messages: MessageScoring[] = [];
  let xp = 0;
  let coins = 0;
  let gems = 0;
  // What the payable messages would earn without caps: did the halved caps take anything?
  let uncapped = { xp: 0, coins: 0 };
  core.messages.forEach((m, i) => {
    const value = scores[i] ?? 0;
    const rarity = rarityFor(value);
    rarityCounts[rarity]++;
    const reason = m.safetyFlag === 'BLOCK' ? undefined : withheld.get(m.index);
    const pays = m.safetyFlag !== 'BLOCK' && reason === undefined;
    const table = RARITY_TABLE[rarity];
    if (pays) uncapped = { xp: uncapped.xp + table.xp, coins: uncapped.coins + table.coins };
    // Credited in order: the message that crosses a cap gets the remainder, later ones nothing.
    const mxp = pays ? Math.min(table.xp, caps.xp - xp) : 0;
    const mcoins = pays ? Math.min(table.coins, caps.coins - coins) : 0;
    const mgems = pays && rarity === 'S+' && gems < SESSION_MAX_GEMS ? 1 : 0;
    xp += mxp;
    coins += mcoins;
    gems += mgems;
    messages.push({
      index: m.index,
      score: value,
      rarity,
      xp: mxp,
      coins: mcoins,
      gems: mgems,
      ...(reason ? { withheld: reason } : {}),
    });
  });
  const limitedBy: FairPlayLimit[] = [];
  const reasons = new Set(messages.map((m) => m.withheld));
  if (reasons.has('LOW_EFFORT')) limitedBy.push('LOW_EFFORT');
  if (reasons.has('REPEATED_MESSAGE')) limitedBy.push('REPEATED_MESSAGE');
  if (!isSuccess && (uncapped.xp > caps.xp || uncapped.coins > caps.coins)) {
    limitedBy.push('NOT_PASSED_HALF_CAPS');
  }
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
    limitedBy,
  };
}
