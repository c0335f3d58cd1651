import { prepared, type PreparedStatement, type PrismaClient } from '../db.js';
import { contentHash } from '../fair-play/index.js';
import { conversationOf, type StoredInput } from './input.js';
import type { ScoredSession } from './score.js';

export type ApplyOutcome = 'applied' | 'already-completed' | 'not-processing' | 'missing';

/**
 * The lock timeout is set for this statement's transaction first (the materialised CTE runs
 * before the function): a lock held too long fails this attempt, and the job retries later,
 * instead of the apply waiting without bound behind another. A named prepared statement on
 * Prisma's pool (db.ts `prepared`).
 */
export const APPLY: PreparedStatement = {
  name: 'sg_apply_v1',
  text: `
    WITH timeout AS MATERIALIZED (SELECT set_config('lock_timeout', $1::text, true))
    SELECT sg_apply_session($2::text, $3::jsonb, $4::timestamptz AT TIME ZONE 'UTC') AS "result"
    FROM timeout`,
};

/**
 * APPLY for several sessions in one statement, so in one transaction and one commit: the function
 * runs for each in the arrays' order (no Sort is planned: the ordinality scan is already in
 * order, and set_config runs first). The caller sorts them by user, so two batches take user
 * locks in one order; a session row locked by a duplicate job can still deadlock with a batch,
 * which Postgres breaks after deadlock_timeout (the batch then goes one by one). One session's
 * error rolls back all of them.
 */
export const APPLY_MANY: PreparedStatement = {
  name: 'sg_apply_many_v2',
  text: `
    WITH timeout AS MATERIALIZED (SELECT set_config('lock_timeout', $1::text, true))
    SELECT sg_apply_session(
      x.item->>'id', x.item->'payload', (x.item->>'at')::timestamptz AT TIME ZONE 'UTC'
    ) AS "result"
    FROM timeout, jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(item, n)
    ORDER BY x.n`,
};

/** One session for applyManyScoredSessions. */
export interface ScoredForApply {
  sessionId: string;
  input: StoredInput;
  scored: ScoredSession;
  completedAt: Date;
}

/**
 * Applies several scored sessions in one round trip and one transaction, each exactly as
 * applyScoredSession would, in the order given; all or none are written.
 */
export async function applyManyScoredSessions(
  prisma: PrismaClient,
  sessions: readonly ScoredForApply[],
  opts: { lockTimeoutMs: number },
): Promise<ApplyOutcome[]> {
  // One JSON array (not three Postgres arrays): node-postgres would escape every payload again
  // to write it into an array literal.
  const items = sessions.map((s) => ({
    id: s.sessionId,
    at: s.completedAt.toISOString(),
    payload: applyPayload(s.input, s.scored),
  }));
  const rows = await prepared<{ result: { outcome: ApplyOutcome } }>(prisma, APPLY_MANY, [
    `${String(opts.lockTimeoutMs)}ms`,
    JSON.stringify(items),
  ]);
  if (rows.length !== sessions.length) {
    throw new Error(
      `sg_apply_session returned ${String(rows.length)} of ${String(sessions.length)}`,
    );
  }
  return rows.map((row) => row.result.outcome);
}

/**
 * Applies every effect of a scored session in one round trip, exactly once:
 * `sg_apply_session` (prisma/migrations/…_fair_play) locks the session row and applies only a
 * session that is PROCESSING (claimed, not yet COMPLETED). It then locks the user's row — the lock
 * that serialises a user's applies — and decides the fair-play rules that depend on the user's
 * other sessions (repeated content in 7 days, the mission bonus once a local day, session gems
 * per local day; shared/fair-play/rules.ts `applyDayRules` is their specification), and calls the
 * owners of the other tables — streak, stats, mission progress and, last, the wallet (ledger
 * unique per (sessionId, kind)) — in the statement's one transaction. A retried, stalled or
 * duplicated job finds it COMPLETED and changes nothing; a session failed meanwhile stays FAILED.
 * Everything that reads only the session is computed here, in TypeScript; the SQL adds what
 * depends on the locked rows (the day rules, levels, level-up gems, the streak).
 */
export async function applyScoredSession(
  prisma: PrismaClient,
  sessionId: string,
  input: StoredInput,
  scored: ScoredSession,
  opts: { lockTimeoutMs: number; completedAt?: Date },
): Promise<ApplyOutcome> {
  const [row] = await prepared<{ result: { outcome: ApplyOutcome } }>(prisma, APPLY, [
    `${String(opts.lockTimeoutMs)}ms`,
    sessionId,
    JSON.stringify(applyPayload(input, scored)),
    (opts.completedAt ?? new Date()).toISOString(),
  ]);
  if (!row) throw new Error(`sg_apply_session returned nothing for ${sessionId}`);
  return row.result.outcome;
}

/** The function's input: rewards, stats facts, message rows, result columns and stored JSON (exported for the bench). */
export function applyPayload(input: StoredInput, scored: ScoredSession) {
  const { core, scoring, insights } = scored;
  const m = core.metrics;
  // What the session's own rules pay. The function applies the day rules to it (which may zero
  // the bonus, cap gems, or withhold everything) and adds levelBefore, levelAfter, levelUpGems
  // and the final gemsGained; message rows take their deltas from the result.
  const rewards = {
    score: scoring.score,
    messageScore: scoring.messageScore,
    isSuccess: scoring.isSuccess,
    xpGained: scoring.xpGained,
    coinsGained: scoring.coinsGained,
    gemsGained: scoring.gemsGained,
    rarityCounts: scoring.rarityCounts,
    messages: scoring.messages,
    missionBonus: scoring.missionBonus,
    limitedBy: scoring.limitedBy,
  };
  const perMessage = core.messages.map((msg) => {
    const s = scoring.messages.find((x) => x.index === msg.index);
    return {
      index: msg.index,
      score: s?.score ?? 0,
      rarity: s?.rarity ?? 'C',
      microFeedback: msg.microFeedback,
      tags: msg.tags,
      safetyFlag: msg.safetyFlag,
    };
  });
  return {
    score: scoring.score,
    messageScore: scoring.messageScore,
    isSuccess: scoring.isSuccess,
    metrics: m,
    messages: messageRows(input, scored),
    contentHash: sessionContentHash(input),
    columns: {
      outcome: scoring.isSuccess ? 'PASSED' : 'NOT_PASSED',
      charismaIndex: m.charismaIndex,
      confidenceScore: m.confidence,
      clarityScore: m.clarity,
      humorScore: m.humor,
      tensionScore: m.tensionControl,
      emotionalWarmth: m.emotionalWarmth,
      dominanceScore: m.dominance,
      fillerWordsCount: m.fillerWordsCount,
      totalMessages: m.totalMessages,
      totalWords: m.totalWords,
      wordsPerMinute: m.wordsPerMinute,
      aiCoreVersion: core.version,
      aiProvider: core.provider,
    },
    summary: {
      rewards,
      ai: { perMessage },
      insights,
      ab: scored.ab,
      transcript: scored.transcript,
    },
    corePayload: {
      version: core.version,
      provider: core.provider,
      // Model, rubric, latency, tokens and any fallback reason: how this result was produced.
      run: core.run ?? null,
      metrics: m,
      messages: core.messages.map((msg) => ({
        index: msg.index,
        traits: msg.traits,
        label: msg.label,
        flags: msg.flags,
        language: msg.language ?? null,
      })),
    },
  };
}

/** The session's USER messages as the repeated-content rule compares them (A/B: either order). */
function sessionContentHash(input: StoredInput): string {
  const user = conversationOf(input)
    .filter((m) => m.role === 'USER')
    .map((m) => m.content);
  return contentHash(user, input.mode === 'ab');
}

/**
 * ChatMessage rows with the real content and, for scored messages, score, rarity and traits; the
 * function adds each message's xp/coins/gems deltas from the final rewards.
 */
function messageRows(input: StoredInput, scored: ScoredSession) {
  const analysis = new Map(scored.core.messages.map((m) => [m.index, m]));
  const rewards = new Map(scored.scoring.messages.map((m) => [m.index, m]));
  // A/B: both options are scored, only the winner is rewarded.
  const abScores = scored.ab ? [scored.ab.optionA, scored.ab.optionB] : null;
  return conversationOf(input).map((msg, index) => {
    const a = analysis.get(index);
    const r = rewards.get(index);
    const abOption = abScores?.[index];
    return {
      index,
      role: msg.role,
      content: msg.content,
      score: r?.score ?? abOption?.score ?? null,
      rarity: r?.rarity ?? null,
      grade: a?.label ?? null,
      traits: a?.traits ?? abOption?.traits ?? null,
    };
  });
}
