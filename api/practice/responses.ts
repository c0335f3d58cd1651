import { z } from 'zod';
import { RARITIES, TRAITS } from '../../shared/ai/index.js';
import type { FairPlayLimit } from '../../shared/fair-play/index.js';
import type { Operation } from '../shared/operations.js';
import { Timestamp, orNull, pageOf } from '../shared/responses.js';

/**
 * The response bodies of the practice routes (request schemas are in schemas.ts): the presenters
 * in views.ts are typed with these, and the OpenAPI document shows them.
 */

/**
 * What was submitted, as the single-session view shows it (`conversation`; lists leave it out).
 * `index` is the position in the submitted `messages` array, as in the result.
 */
export const ConversationSchema = z
  .union([
    z
      .array(
        z.object({
          index: z.int().nonnegative(),
          role: z.enum(['USER', 'AI', 'SYSTEM']),
          content: z.string(),
        }),
      )
      .meta({ title: 'TextConversation', description: 'text: the submitted messages' }),
    z.string().meta({ title: 'VoiceConversation', description: 'voice: the transcript' }),
    z
      .object({ prompt: z.string().nullable(), optionA: z.string(), optionB: z.string() })
      .meta({ title: 'AbConversation', description: 'ab: the prompt and both options' }),
  ])
  .meta({
    description:
      'What was submitted, by the session’s `mode`: the text messages, the voice transcript (null while an uploaded clip waits to be transcribed), or the A/B prompt and options',
  });
export type ConversationView = z.infer<typeof ConversationSchema>;

/** `result.walletAfter`: the wallet right after the session was applied (level-up gems included). */
export const WalletAfterSchema = z.object({
  xp: z.int(),
  level: z.int(),
  coins: z.int(),
  gems: z.int(),
  lifetimeXp: z.int(),
});
export type WalletAfterView = z.infer<typeof WalletAfterSchema>;

const int = z.number().int();
const SessionStatus = z.enum(['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED']);
const Mode = z.enum(['text', 'voice', 'ab']);
const Rarity = z.enum(RARITIES);
const Trait = z.enum(TRAITS);
const Reward = z.object({ xp: int, coins: int, gems: int });
const traitScores = {
  confidence: z.number(),
  clarity: z.number(),
  humor: z.number(),
  tensionControl: z.number(),
  emotionalWarmth: z.number(),
  dominance: z.number(),
};
/** Trait scores 0-100. */
const Traits = z.object(traitScores).meta({ id: 'Traits' });

/** Fair-play rules that took rewards away (SCORING.md); a Record, so the list is exhaustive. */
const LIMITS: Record<FairPlayLimit, true> = {
  LOW_EFFORT: true,
  REPEATED_MESSAGE: true,
  NOT_PASSED_HALF_CAPS: true,
  MISSION_BONUS_PAID_TODAY: true,
  DAILY_GEM_CAP: true,
  REPEATED_CONTENT: true,
};
const FAIR_PLAY_LIMITS = Object.keys(LIMITS) as [FairPlayLimit, ...FairPlayLimit[]];

export const RewardsSchema = z
  .object({
    score: int,
    messageScore: z.number(),
    isSuccess: z.boolean(),
    xpGained: int,
    coinsGained: int,
    gemsGained: int.meta({ description: 'Level-up gems included' }),
    rarityCounts: z.object({ C: int, B: int, A: int, S: int, 'S+': int }),
    messages: z.array(
      Reward.extend({
        index: int.meta({ description: 'Position in the submitted messages' }),
        score: int,
        rarity: Rarity,
        withheld: z.enum(['LOW_EFFORT', 'REPEATED_MESSAGE']).optional(),
      }),
    ),
    missionBonus: Reward,
    limitedBy: z.array(z.enum(FAIR_PLAY_LIMITS)),
    withheld: z
      .literal('REPEATED_CONTENT')
      .optional()
      .meta({ description: 'Set when fair play withheld every reward of the session' }),
    levelUpGems: int,
    levelBefore: int,
    levelAfter: int,
  })
  .meta({ id: 'SessionRewards' });

const AiPerMessage = z.object({
  index: int,
  score: int,
  rarity: Rarity,
  microFeedback: z.string(),
  tags: z.array(z.string()),
  safetyFlag: z.enum(['OK', 'RISKY', 'BLOCK']),
});

const ProviderRun = z.object({
  requestedProvider: z.enum(['heuristic', 'openai']),
  model: z.string().nullable(),
  rubricVersion: z.string().nullable(),
  latencyMs: z.number(),
  calls: int,
  usage: z.object({ promptTokens: int, completionTokens: int, totalTokens: int }).nullable(),
  unsupportedEvidence: int,
  fallbackReason: z.string().nullable(),
});

const Metrics = z.object({
  charismaIndex: z.number(),
  ...traitScores,
  fillerWordsCount: int,
  totalMessages: int,
  totalWords: int,
  wordsPerMinute: z.number().nullable(),
});

/** `result.aiCore` of a list item: how the result was produced and the session metrics. */
const AiCoreSummary = z.object({
  version: z.string(),
  provider: z.enum(['heuristic', 'openai']),
  run: ProviderRun.nullable(),
  metrics: Metrics,
});

const AiCoreDetail = AiCoreSummary.extend({
  messages: z.array(
    z.object({
      index: int,
      traits: Traits,
      label: z.enum(['great', 'good', 'neutral', 'weak', 'cringe']),
      flags: z.array(z.string()),
      language: z.string().nullable(),
    }),
  ),
});

const TraitScore = z.object({ trait: Trait, score: z.number() });
const MessageRef = z.object({ index: int, score: int });
export const InsightsSchema = z
  .object({
    strongestTraits: z.array(TraitScore),
    weakestTraits: z.array(TraitScore),
    topMessages: z.array(MessageRef),
    worstMessages: z.array(MessageRef),
    flags: z.array(z.string()),
  })
  .meta({ id: 'SessionInsights' });

const AbOption = z.object({
  text: z.string(),
  score: int,
  traits: z.union([Traits, z.strictObject({})]),
});
const AbSchema = z.object({
  prompt: z.string().nullable(),
  optionA: AbOption,
  optionB: AbOption,
  winner: z.enum(['A', 'B']).nullable().meta({ description: 'null on a tie' }),
});

/**
 * Fields of a COMPLETED session's `result` in the single view and in list items alike (a field
 * only the single view shows goes into SessionResultSchema).
 */
const resultFields = {
  score: int,
  isSuccess: z.boolean(),
  rewards: RewardsSchema,
  insights: InsightsSchema,
  transcript: z.string().nullable().optional().meta({ description: 'Voice sessions only' }),
  ab: AbSchema.nullable().optional().meta({ description: 'A/B sessions only' }),
  walletAfter: WalletAfterSchema.nullable().meta({
    description: 'The wallet right after this session was applied; null for older sessions',
  }),
};

export const SessionResultSchema = z
  .object({
    ...resultFields,
    ai: z.object({ perMessage: z.array(AiPerMessage) }),
    aiCore: AiCoreDetail,
  })
  .meta({ id: 'SessionResult' });
export const SessionListResultSchema = z
  .object({ ...resultFields, aiCore: AiCoreSummary })
  .meta({ id: 'SessionListResult', description: 'The result without per-message AI output' });

/**
 * Fields of a session in the single view and in list items alike (a field only the single view
 * shows goes into SessionViewSchema).
 */
const viewFields = {
  sessionId: z.string(),
  status: SessionStatus,
  mode: Mode,
  topic: z.string().nullable(),
  personaId: z.string().nullable(),
  templateId: z.string().nullable(),
  createdAt: Timestamp,
  completedAt: Timestamp.nullable(),
  error: z
    .object({ code: z.string(), message: z.string() })
    .nullable()
    .meta({ description: 'Set when FAILED (nothing was granted)' }),
};

/** GET /v1/practice/sessions/:id, and a replay of a finished session (200). */
export const SessionViewSchema = z
  .object({
    ok: z.literal(true),
    ...viewFields,
    conversation: ConversationSchema.nullable(),
    result: orNull(SessionResultSchema),
  })
  .meta({ id: 'SessionView' });
export type SessionView = z.infer<typeof SessionViewSchema>;

export const SessionListItemSchema = z
  .object({ ...viewFields, result: orNull(SessionListResultSchema) })
  .meta({ id: 'SessionListItem' });
export type SessionListItem = z.infer<typeof SessionListItemSchema>;

export const SessionPageSchema = pageOf(SessionListItemSchema).meta({ id: 'SessionPage' });
export type SessionPage = z.infer<typeof SessionPageSchema>;

/** The 202 of a submit (and of its replay while the session is not finished). */
export const AcceptedSchema = z
  .object({
    ok: z.literal(true),
    sessionId: z.string(),
    status: SessionStatus,
    mode: Mode,
    statusUrl: z.string().meta({ description: 'Poll it (GET, with ?waitMs=)' }),
  })
  .meta({ id: 'SessionAccepted' });
export type Accepted = z.infer<typeof AcceptedSchema>;

/** What every submit answers: 202 while queued or running, 200 replaying a finished session. */
export const QUEUED_RESPONSES = {
  202: {
    description: 'Queued (also a replay while the session is not finished)',
    schema: AcceptedSchema,
    headers: {
      Location: { description: 'The session: GET it (with ?waitMs= to long-poll)' },
      'Retry-After': { description: 'Seconds to wait before polling' },
      'Idempotent-Replayed': { description: '`true` on a replay of an earlier request' },
    },
  },
  200: {
    description: 'Replay of a finished session (Idempotent-Replayed: true)',
    schema: SessionViewSchema,
    headers: { 'Idempotent-Replayed': { description: 'Always `true`' } },
  },
} as const satisfies Operation['ok'];
