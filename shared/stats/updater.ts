import type { SessionMetrics } from '../ai/index.js';
import type { Tx } from '../db.js';

export interface CompletedSessionFacts {
  score: number;
  messageScore: number;
  isSuccess: boolean;
  metrics: SessionMetrics;
  completedAt: Date;
}

/** Running mean after adding the n-th value. */
const nextMean = (mean: number, value: number, n: number) => mean + (value - mean) / n;

/**
 * StatsUpdater: the only code that changes UserStats. Adds one COMPLETED session to the counters
 * and running means, inside the caller's transaction (the row is locked, so concurrent sessions of
 * one user are counted one after the other).
 */
export async function recordCompletedSession(
  tx: Tx,
  userId: string,
  facts: CompletedSessionFacts,
): Promise<void> {
  const [stats] = await tx.$queryRaw<
    {
      sessionsCount: number;
      averageScore: number;
      averageMessageScore: number;
      avgCharismaIndex: number;
      avgConfidence: number;
      avgClarity: number;
      avgHumor: number;
      avgTension: number;
      avgWarmth: number;
      avgDominance: number;
      avgFillerWords: number;
      avgTotalWords: number;
      avgTotalMessages: number;
    }[]
  >`SELECT * FROM "UserStats" WHERE "userId" = ${userId} FOR UPDATE`;
  if (!stats) throw new Error(`User ${userId} has no stats`);
  const n = stats.sessionsCount + 1;
  const m = facts.metrics;
  await tx.userStats.update({
    where: { userId },
    data: {
      sessionsCount: n,
      successCount: { increment: facts.isSuccess ? 1 : 0 },
      failCount: { increment: facts.isSuccess ? 0 : 1 },
      averageScore: nextMean(stats.averageScore, facts.score, n),
      averageMessageScore: nextMean(stats.averageMessageScore, facts.messageScore, n),
      avgCharismaIndex: nextMean(stats.avgCharismaIndex, m.charismaIndex, n),
      avgConfidence: nextMean(stats.avgConfidence, m.confidence, n),
      avgClarity: nextMean(stats.avgClarity, m.clarity, n),
      avgHumor: nextMean(stats.avgHumor, m.humor, n),
      avgTension: nextMean(stats.avgTension, m.tensionControl, n),
      avgWarmth: nextMean(stats.avgWarmth, m.emotionalWarmth, n),
      avgDominance: nextMean(stats.avgDominance, m.dominance, n),
      avgFillerWords: nextMean(stats.avgFillerWords, m.fillerWordsCount, n),
      avgTotalWords: nextMean(stats.avgTotalWords, m.totalWords, n),
      avgTotalMessages: nextMean(stats.avgTotalMessages, m.totalMessages, n),
      lastSessionAt: facts.completedAt,
    },
  });
}
