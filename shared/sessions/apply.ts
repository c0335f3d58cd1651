import type { Prisma, PrismaClient } from '../db.js';
import { recordCompletedSession } from '../stats/updater.js';
import { recordStreakActivity } from '../streak/owner.js';
import { grantSessionRewards } from '../wallet/rewards.js';
import { conversationOf, type StoredInput } from './input.js';
import type { ScoredSession } from './score.js';

export type ApplyOutcome = 'applied' | 'already-completed' | 'not-processing' | 'missing';

/**
 * Applies every effect of a scored session in one transaction, exactly once: the session row is
 * locked and only a session that is PROCESSING (claimed, not yet COMPLETED) is applied. A retried,
 * stalled or duplicated job finds it COMPLETED and changes nothing; a session failed meanwhile
 * (e.g. by a worker that had lost the job's lock) stays FAILED. The ledger's unique
 * (sessionId, kind) backs that up.
 */
export async function applyScoredSession(
  prisma: PrismaClient,
  sessionId: string,
  input: StoredInput,
  scored: ScoredSession,
  completedAt = new Date(),
): Promise<ApplyOutcome> {
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ userId: string; status: string }[]>`
      SELECT "userId", "status" FROM "PracticeSession" WHERE "id" = ${sessionId} FOR UPDATE`;
    if (!row) return 'missing';
    if (row.status === 'COMPLETED') return 'already-completed';
    if (row.status !== 'PROCESSING') return 'not-processing';
    const { userId } = row;
    const { core, scoring, insights } = scored;

    const grant = await grantSessionRewards(tx, {
      userId,
      sessionId,
      xp: scoring.xpGained,
      coins: scoring.coinsGained,
      gems: scoring.gemsGained,
    });
    await recordCompletedSession(tx, userId, {
      score: scoring.score,
      messageScore: scoring.messageScore,
      isSuccess: scoring.isSuccess,
      metrics: core.metrics,
      completedAt,
    });
    await recordStreakActivity(tx, userId, completedAt);
    await tx.chatMessage.createMany({ data: messageRows(sessionId, input, scored) });

    const m = core.metrics;
    // Level-up gems are part of what the session earned: every gem in the wallet is accounted
    // for by some session's rewards (wallet = Σ ledger = Σ session rewards).
    const gemsGained = scoring.gemsGained + grant.levelUpGems;
    const rewards = {
      score: scoring.score,
      messageScore: scoring.messageScore,
      isSuccess: scoring.isSuccess,
      xpGained: scoring.xpGained,
      coinsGained: scoring.coinsGained,
      gemsGained,
      levelUpGems: grant.levelUpGems,
      rarityCounts: scoring.rarityCounts,
      messages: scoring.messages,
      missionBonus: scoring.missionBonus,
      levelBefore: grant.levelBefore,
      levelAfter: grant.levelAfter,
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
    const summary = {
      rewards,
      ai: { perMessage },
      insights,
      ab: scored.ab,
      transcript: scored.transcript,
    };
    const corePayload = {
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
    };
    await tx.practiceSession.update({
      where: { id: sessionId },
      data: {
        status: 'COMPLETED',
        score: scoring.score,
        messageScore: scoring.messageScore,
        isSuccess: scoring.isSuccess,
        outcome: scoring.isSuccess ? 'PASSED' : 'NOT_PASSED',
        xpGained: scoring.xpGained,
        coinsGained: scoring.coinsGained,
        gemsGained,
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
        aiSummary: toJson(summary),
        aiCorePayload: toJson(corePayload),
        errorCode: null,
        errorMessage: null,
        completedAt,
      },
    });
    return 'applied';
  });
}

/** ChatMessage rows with the real content and, for scored messages, score, rarity and rewards. */
function messageRows(sessionId: string, input: StoredInput, scored: ScoredSession) {
  const analysis = new Map(scored.core.messages.map((m) => [m.index, m]));
  const rewards = new Map(scored.scoring.messages.map((m) => [m.index, m]));
  // A/B: both options are scored, only the winner is rewarded.
  const abScores = scored.ab ? [scored.ab.optionA, scored.ab.optionB] : null;
  return conversationOf(input).map((msg, index) => {
    const a = analysis.get(index);
    const r = rewards.get(index);
    const abOption = abScores?.[index];
    return {
      sessionId,
      index,
      role: msg.role,
      content: msg.content,
      score: r?.score ?? abOption?.score ?? null,
      rarity: r?.rarity ?? null,
      grade: a?.label ?? null,
      xpDelta: r?.xp ?? 0,
      coinsDelta: r?.coins ?? 0,
      gemsDelta: r?.gems ?? 0,
      traits: a ? toJson(a.traits) : abOption ? toJson(abOption.traits) : undefined,
    };
  });
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
