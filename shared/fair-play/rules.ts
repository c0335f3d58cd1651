/**
 * Fair play (SCORING.md): rewards come from practice, not from replaying requests. The rules that
 * read only the session itself run in AiScoring (`scoreSession`); the rules that depend on the
 * user's other sessions (this file's `applyDayRules`) are decided inside the apply transaction,
 * under the user's row lock, by `sg_fair_play_rewards` — its SQL twin
 * (prisma/migrations/…_fair_play), held to the same answers by test/integration/fair-play-sql.test.ts.
 */

/** Why a session earned less than its messages and mission would otherwise pay. */
export type FairPlayLimit =
  | 'LOW_EFFORT'
  | 'REPEATED_MESSAGE'
  | 'NOT_PASSED_HALF_CAPS'
  | 'MISSION_BONUS_PAID_TODAY'
  | 'DAILY_GEM_CAP'
  | 'REPEATED_CONTENT';

/** Session gems (S+ and mission gems; level-up gems are not counted) per user per local day. */
export const DAILY_SESSION_GEM_CAP = 3;
/** A session repeating the USER messages of one completed this many days back earns nothing. */
export const REPEAT_WINDOW_DAYS = 7;

export interface Caps {
  xp: number;
  coins: number;
}

/**
 * The caps on a session's message rewards: the full caps when it succeeds, half of them (rounded
 * down) when it does not, so effort and success pay more than volume.
 */
export function capsFor(isSuccess: boolean, full: Caps): Caps {
  return isSuccess ? full : { xp: Math.floor(full.xp / 2), coins: Math.floor(full.coins / 2) };
}

export interface Reward {
  xp: number;
  coins: number;
  gems: number;
}

/** The part of a session's rewards the day rules read and rewrite. */
export interface PayableRewards {
  xpGained: number;
  coinsGained: number;
  gemsGained: number;
  /** Rewarded messages in the order they were credited. */
  messages: (Reward & { index: number })[];
  missionBonus: Reward;
  limitedBy: FairPlayLimit[];
  /** Set when the whole session earns nothing. */
  withheld?: 'REPEATED_CONTENT';
}

/** What the apply reads under the user's lock about the user's other sessions. */
export interface DayFacts {
  /** A session of the user completed in the last REPEAT_WINDOW_DAYS had the same USER messages. */
  repeatedContent: boolean;
  /** This template's bonus was already paid on the user's current local day. */
  missionBonusPaidToday: boolean;
  /** Session gems already granted on the user's current local day. */
  sessionGemsToday: number;
}

const NOTHING: Reward = { xp: 0, coins: 0, gems: 0 };

/**
 * The rules that depend on the user's other sessions, applied to what AiScoring computed:
 * - repeated content: the session is scored as usual but earns nothing (`withheld`);
 * - the mission bonus is paid once per template per local day;
 * - session gems stop at DAILY_SESSION_GEM_CAP a day: messages' gems first, in order, then the
 *   mission's.
 * Totals are recomputed from the messages and the bonus. Every rule that took something away is
 * added to `limitedBy`.
 */
export function applyDayRules<R extends PayableRewards>(rewards: R, facts: DayFacts): R {
  if (facts.repeatedContent) {
    return {
      ...rewards,
      messages: rewards.messages.map((m) => ({ ...m, ...NOTHING })),
      missionBonus: { ...NOTHING },
      xpGained: 0,
      coinsGained: 0,
      gemsGained: 0,
      limitedBy: [...rewards.limitedBy, 'REPEATED_CONTENT'],
      withheld: 'REPEATED_CONTENT',
    };
  }
  const limitedBy = [...rewards.limitedBy];
  let bonus = rewards.missionBonus;
  const bonusAny = bonus.xp > 0 || bonus.coins > 0 || bonus.gems > 0;
  if (facts.missionBonusPaidToday && bonusAny) {
    bonus = { ...NOTHING };
    limitedBy.push('MISSION_BONUS_PAID_TODAY');
  }
  // Gems are paid in order while the day's allowance lasts: messages' first, then the bonus's.
  let allowance = Math.max(0, DAILY_SESSION_GEM_CAP - facts.sessionGemsToday);
  const pay = (gems: number) => {
    const paid = Math.min(gems, allowance);
    allowance -= paid;
    return paid;
  };
  const messages = rewards.messages.map((m) => ({ ...m, gems: pay(m.gems) }));
  const wanted = bonus.gems;
  bonus = { ...bonus, gems: pay(bonus.gems) };
  const gemsWanted = rewards.messages.reduce((a, m) => a + m.gems, 0) + wanted;
  const gemsPaid = messages.reduce((a, m) => a + m.gems, 0) + bonus.gems;
  if (gemsPaid < gemsWanted) limitedBy.push('DAILY_GEM_CAP');
  const sum = (pick: (r: Reward) => number) =>
    messages.reduce((total, m) => total + pick(m), 0) + pick(bonus);
  return {
    ...rewards,
    messages,
    missionBonus: bonus,
    xpGained: sum((r) => r.xp),
    coinsGained: sum((r) => r.coins),
    gemsGained: sum((r) => r.gems),
    limitedBy,
  };
}
