import { z } from 'zod';
import { TRAITS } from '../../shared/ai/index.js';
import { InsightsSchema } from '../practice/responses.js';
import { Timestamp, okWith, orNull } from '../shared/responses.js';
import { WalletSchema } from '../wallet/schemas.js';

const int = z.number().int();
const Trait = z.enum(TRAITS);

/** The running means of a user's completed sessions (UserStats), as the dashboard and export show them. */
export const StatAveragesSchema = z.object({
  avgCharismaIndex: z.number(),
  avgConfidence: z.number(),
  avgClarity: z.number(),
  avgHumor: z.number(),
  avgTension: z.number(),
  avgWarmth: z.number(),
  avgDominance: z.number(),
  avgFillerWords: z.number(),
  avgTotalWords: z.number(),
  avgTotalMessages: z.number(),
});

/** GET /v1/stats/dashboard (and its deprecated aliases): numbers from stored rows only. */
export const DashboardResponse = okWith({
  user: z.object({ id: z.string(), email: z.string(), createdAt: Timestamp }),
  streak: z.object({
    current: int,
    best: int,
    lastActiveAt: Timestamp.nullable(),
    activeToday: z.boolean(),
  }),
  wallet: WalletSchema,
  stats: z.object({
    sessionsCount: int,
    successCount: int,
    failCount: int,
    averageScore: z.number(),
    averageMessageScore: z.number(),
    lastSessionAt: Timestamp.nullable(),
    latest: z
      .object({
        charismaIndex: z.number().nullable(),
        confidenceScore: z.number().nullable(),
        clarityScore: z.number().nullable(),
        humorScore: z.number().nullable(),
        tensionScore: z.number().nullable(),
        emotionalWarmth: z.number().nullable(),
        dominanceScore: z.number().nullable(),
        fillerWordsCount: int.nullable(),
        totalMessages: int.nullable(),
        totalWords: int.nullable(),
        aiCoreVersion: z.string().nullable(),
      })
      .nullable()
      .meta({ description: 'The latest completed session; null before the first' }),
    averages: StatAveragesSchema,
    insights: z.object({
      latest: orNull(InsightsSchema),
      trends: z.object({ improvingTraits: z.array(Trait), decliningTraits: z.array(Trait) }),
    }),
    socialScore: int.nullable(),
    socialTier: z
      .enum(['Beginner', 'Improving', 'Competent', 'Skilled', 'Strong', 'Elite', 'Apex'])
      .nullable(),
    recentSessions: z.array(
      z.object({
        sessionId: z.string(),
        createdAt: Timestamp,
        mode: z.enum(['text', 'voice', 'ab']),
        charismaIndex: z.number().nullable(),
        score: int.nullable(),
        isSuccess: z.boolean().nullable(),
      }),
    ),
  }),
}).meta({ id: 'Dashboard' });
export type DashboardResponse = z.infer<typeof DashboardResponse>;
