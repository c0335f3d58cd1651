import { z } from 'zod';
import { StatAveragesSchema } from '../stats/schemas.js';

/** DELETE /v1/account: the current password, as a login takes it. */
export const DeleteAccountSchema = z.strictObject({
  password: z.string().min(1).max(128),
});
export type DeleteAccountInput = z.infer<typeof DeleteAccountSchema>;

const instant = z.iso.datetime();
const json = z.unknown().meta({ description: 'Stored JSON, as stored' });

export const ProfileExportSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(['USER', 'ADMIN']),
  tier: z.string(),
  sessionVersion: z.number().int(),
  gender: z.string(),
  attractedTo: z.string(),
  preferencePath: z.string(),
  timezone: z.string(),
  previousTimezone: z.string().nullable(),
  timezoneChangedAt: instant.nullable(),
  streakCurrent: z.number().int(),
  streakBest: z.number().int(),
  streakLastActiveAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
});

export const WalletExportSchema = z.object({
  xp: z.number().int(),
  lifetimeXp: z.number().int(),
  level: z.number().int(),
  coins: z.number().int(),
  gems: z.number().int(),
  updatedAt: instant,
});

export const StatsExportSchema = z.object({
  sessionsCount: z.number().int(),
  successCount: z.number().int(),
  failCount: z.number().int(),
  averageScore: z.number(),
  averageMessageScore: z.number(),
  ...StatAveragesSchema.shape,
  lastSessionAt: instant.nullable(),
  updatedAt: instant,
});

export const MissionProgressExportSchema = z.object({
  id: z.string(),
  templateId: z.string(),
  templateCode: z.string(),
  templateTitle: z.string(),
  attempts: z.number().int(),
  bestScore: z.number().int(),
  passed: z.boolean(),
  lastPlayedAt: instant,
  lastBonusAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
});

/** Token metadata only: the hashes are never exported. */
export const RefreshTokenExportSchema = z.object({
  id: z.string(),
  familyId: z.string(),
  createdAt: instant,
  expiresAt: instant,
  revokedAt: instant.nullable(),
  /** The id of the token that replaced this one on rotation. */
  replacedBy: z.string().nullable(),
});

export const PasswordResetTokenExportSchema = z.object({
  id: z.string(),
  createdAt: instant,
  expiresAt: instant,
  usedAt: instant.nullable(),
});

export const IdempotencyKeyExportSchema = z.object({
  id: z.string(),
  key: z.string(),
  route: z.string(),
  /** SHA-256 of the route and the request body the key was first used with. */
  fingerprint: z.string(),
  sessionId: z.string(),
  createdAt: instant,
  expiresAt: instant,
});

export const PowerUpUsageExportSchema = z.object({
  id: z.string(),
  sessionId: z.string().nullable(),
  powerUpTypeId: z.string(),
  powerUpCode: z.string(),
  createdAt: instant,
});

export const LedgerEntryExportSchema = z.object({
  id: z.string(),
  sessionId: z.string().nullable(),
  kind: z.enum(['SESSION_REWARD', 'LEVEL_UP', 'POWERUP_PURCHASE']),
  xp: z.number().int(),
  coins: z.number().int(),
  gems: z.number().int(),
  createdAt: instant,
});

export const ChatMessageExportSchema = z.object({
  id: z.string(),
  index: z.number().int(),
  role: z.enum(['USER', 'AI', 'SYSTEM']),
  content: z.string(),
  score: z.number().int().nullable(),
  rarity: z.string().nullable(),
  grade: z.string().nullable(),
  xpDelta: z.number().int(),
  coinsDelta: z.number().int(),
  gemsDelta: z.number().int(),
  traits: json,
  createdAt: instant,
});

export const VoiceClipExportSchema = z.object({
  id: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  transcribedAt: instant.nullable(),
  createdAt: instant,
});

const nullableInt = z.number().int().nullable();

export const SessionExportSchema = z.object({
  id: z.string(),
  mode: z.enum(['text', 'voice', 'ab']),
  status: z.enum(['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED']),
  topic: z.string().nullable(),
  personaId: z.string().nullable(),
  templateId: z.string().nullable(),
  /** The submission as stored: messages, transcript and audio facts, or the A/B options. */
  input: json,
  /** A voice session's transcript (also in `input`); null for other modes or before transcription. */
  transcript: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: instant,
  startedAt: instant.nullable(),
  completedAt: instant.nullable(),
  result: z.object({
    score: nullableInt,
    messageScore: z.number().nullable(),
    isSuccess: z.boolean().nullable(),
    outcome: z.string().nullable(),
    xpGained: z.number().int(),
    coinsGained: z.number().int(),
    gemsGained: z.number().int(),
    metrics: z.object({
      charismaIndex: nullableInt,
      confidence: nullableInt,
      clarity: nullableInt,
      humor: nullableInt,
      tensionControl: nullableInt,
      emotionalWarmth: nullableInt,
      dominance: nullableInt,
      fillerWordsCount: nullableInt,
      totalMessages: nullableInt,
      totalWords: nullableInt,
      wordsPerMinute: nullableInt,
    }),
    aiCoreVersion: z.string().nullable(),
    aiProvider: z.string().nullable(),
    aiSummary: json,
    aiCorePayload: json,
    walletAfter: json,
    /** The fair-play fingerprint of the USER messages. */
    contentHash: z.string().nullable(),
  }),
  error: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
  chatNextIndex: z.number().int(),
  messages: z.array(ChatMessageExportSchema),
  /** The uploaded clip; its bytes, while still stored, are in `voiceClipAudio`. */
  voiceClip: VoiceClipExportSchema.nullable(),
});

export const VoiceClipAudioExportSchema = z.object({
  clipId: z.string(),
  sessionId: z.string(),
  mimeType: z.string(),
  encoding: z.literal('base64'),
  audio: z.string(),
});

/** The export document, in the order it is written. */
export const AccountExportSchema = z.object({
  ok: z.literal(true),
  format: z.literal('socialgym-export/1'),
  exportedAt: instant,
  profile: ProfileExportSchema,
  wallet: WalletExportSchema.nullable(),
  stats: StatsExportSchema.nullable(),
  missionProgress: z.array(MissionProgressExportSchema),
  refreshTokens: z.array(RefreshTokenExportSchema),
  passwordResetTokens: z.array(PasswordResetTokenExportSchema),
  idempotencyKeys: z.array(IdempotencyKeyExportSchema),
  powerUpUsages: z.array(PowerUpUsageExportSchema),
  ledger: z.array(LedgerEntryExportSchema),
  sessions: z.array(SessionExportSchema),
  voiceClipAudio: z.array(VoiceClipAudioExportSchema),
});
export type AccountExport = z.infer<typeof AccountExportSchema>;
