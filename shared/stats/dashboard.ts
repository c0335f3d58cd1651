import { socialTier, traitTrends } from '../ai/index.js';
import type { PrismaClient } from '../db.js';
import { notFound } from '../errors.js';
import { effectiveTimeZone } from '../fair-play/index.js';
import { MODE_FROM_DB } from '../sessions/input.js';
import { traitsFromColumns } from '../sessions/trait-columns.js';
import { readStreak } from '../streak/calc.js';
import { walletView } from '../wallet/view.js';

/** Sessions the dashboard lists and computes trends over (API.md: last 5 scored). */
const RECENT = 5;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The one dashboard builder (`/v1/stats/dashboard` and its legacy aliases). Every number comes from
 * stored rows — UserWallet, UserStats, the user's streak fields and the latest completed sessions —
 * never from re-aggregating sessions here. A user with no sessions gets zeros and nulls.
 */
export async function buildDashboard(prisma: PrismaClient, userId: string, now = new Date()) {
  const [user, recent] = await Promise.all([
    prisma.user.findUnique({ where: { id: userId }, include: { wallet: true, stats: true } }),
    prisma.practiceSession.findMany({
      where: { userId, status: 'COMPLETED' },
      orderBy: [{ completedAt: 'desc' }, { id: 'desc' }],
      take: RECENT,
    }),
  ]);
  if (!user?.wallet || !user.stats) throw notFound('USER_NOT_FOUND', 'No such user');
  const { wallet, stats } = user;
  const latest = recent[0] ?? null;
  const socialScore = stats.sessionsCount > 0 ? Math.round(stats.avgCharismaIndex) : null;
  const latestInsights = (latest?.aiSummary as { insights?: unknown } | null)?.insights ?? null;

  return {
    user: { id: user.id, email: user.email, createdAt: user.createdAt.toISOString() },
    streak: (() => {
      const s = readStreak(
        {
          current: user.streakCurrent,
          best: user.streakBest,
          lastActiveAt: user.streakLastActiveAt,
        },
        now,
        // Days count in the zone in effect: a timezone change applies 24 hours after it.
        effectiveTimeZone(user, now),
      );
      return { ...s, lastActiveAt: s.lastActiveAt?.toISOString() ?? null };
    })(),
    wallet: walletView(wallet),
    stats: {
      sessionsCount: stats.sessionsCount,
      successCount: stats.successCount,
      failCount: stats.failCount,
      averageScore: round2(stats.averageScore),
      averageMessageScore: round2(stats.averageMessageScore),
      lastSessionAt: stats.lastSessionAt?.toISOString() ?? null,
      latest: latest && {
        charismaIndex: latest.charismaIndex,
        confidenceScore: latest.confidenceScore,
        clarityScore: latest.clarityScore,
        humorScore: latest.humorScore,
        tensionScore: latest.tensionScore,
        emotionalWarmth: latest.emotionalWarmth,
        dominanceScore: latest.dominanceScore,
        fillerWordsCount: latest.fillerWordsCount,
        totalMessages: latest.totalMessages,
        totalWords: latest.totalWords,
        aiCoreVersion: latest.aiCoreVersion,
      },
      averages: {
        avgCharismaIndex: round2(stats.avgCharismaIndex),
        avgConfidence: round2(stats.avgConfidence),
        avgClarity: round2(stats.avgClarity),
        avgHumor: round2(stats.avgHumor),
        avgTension: round2(stats.avgTension),
        avgWarmth: round2(stats.avgWarmth),
        avgDominance: round2(stats.avgDominance),
        avgFillerWords: round2(stats.avgFillerWords),
        avgTotalWords: round2(stats.avgTotalWords),
        avgTotalMessages: round2(stats.avgTotalMessages),
      },
      insights: {
        latest: latestInsights,
        trends: traitTrends(recent.map(traitsFromColumns)),
      },
      socialScore,
      socialTier: socialTier(socialScore),
      recentSessions: recent.map((s) => ({
        sessionId: s.id,
        createdAt: s.createdAt.toISOString(),
        mode: MODE_FROM_DB[s.mode],
        charismaIndex: s.charismaIndex,
        score: s.score,
        isSuccess: s.isSuccess,
      })),
    },
  };
}
