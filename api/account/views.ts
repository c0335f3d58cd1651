import type { z } from 'zod';
import type {
  IdempotencyKey,
  MissionProgress,
  PowerUpUsage,
  UserStats,
  UserWallet,
  WalletLedgerEntry,
} from '../../shared/db.js';
import { MODE_FROM_DB } from '../../shared/sessions/input.js';
import { traitsFromColumns } from '../../shared/sessions/trait-columns.js';
import type { AccountHead, ExportedSession } from '../../shared/users/account-export.js';
import type {
  IdempotencyKeyExportSchema,
  LedgerEntryExportSchema,
  MissionProgressExportSchema,
  PasswordResetTokenExportSchema,
  PowerUpUsageExportSchema,
  ProfileExportSchema,
  RefreshTokenExportSchema,
  SessionExportSchema,
  StatsExportSchema,
  VoiceClipAudioExportSchema,
  WalletExportSchema,
} from './schemas.js';

/** The presenters of the account export (schemas.ts describes each part). */

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function profileExport(p: AccountHead['profile']): z.infer<typeof ProfileExportSchema> {
  return {
    ...p,
    timezoneChangedAt: isoOrNull(p.timezoneChangedAt),
    streakLastActiveAt: isoOrNull(p.streakLastActiveAt),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}

export function walletExport(w: UserWallet): z.infer<typeof WalletExportSchema> {
  return {
    xp: w.xp,
    lifetimeXp: w.lifetimeXp,
    level: w.level,
    coins: w.coins,
    gems: w.gems,
    updatedAt: iso(w.updatedAt),
  };
}

/** Every column but the key (the user, already in `profile`). */
export function statsExport(s: UserStats): z.infer<typeof StatsExportSchema> {
  const rest: Omit<UserStats, 'userId'> & { userId?: string } = { ...s };
  delete rest.userId;
  return { ...rest, lastSessionAt: isoOrNull(s.lastSessionAt), updatedAt: iso(s.updatedAt) };
}

export function missionExport(
  m: MissionProgress & { template: { code: string; title: string } },
): z.infer<typeof MissionProgressExportSchema> {
  return {
    id: m.id,
    templateId: m.templateId,
    templateCode: m.template.code,
    templateTitle: m.template.title,
    attempts: m.attempts,
    bestScore: m.bestScore,
    passed: m.passed,
    lastPlayedAt: iso(m.lastPlayedAt),
    lastBonusAt: isoOrNull(m.lastBonusAt),
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
  };
}

export function refreshTokenExport(t: {
  id: string;
  familyId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  replacedBy: string | null;
}): z.infer<typeof RefreshTokenExportSchema> {
  return {
    id: t.id,
    familyId: t.familyId,
    createdAt: iso(t.createdAt),
    expiresAt: iso(t.expiresAt),
    revokedAt: isoOrNull(t.revokedAt),
    replacedBy: t.replacedBy,
  };
}

export function resetTokenExport(t: {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}): z.infer<typeof PasswordResetTokenExportSchema> {
  return {
    id: t.id,
    createdAt: iso(t.createdAt),
    expiresAt: iso(t.expiresAt),
    usedAt: isoOrNull(t.usedAt),
  };
}

export function idempotencyKeyExport(
  k: IdempotencyKey,
): z.infer<typeof IdempotencyKeyExportSchema> {
  return {
    id: k.id,
    key: k.key,
    route: k.route,
    fingerprint: k.fingerprint,
    sessionId: k.sessionId,
    createdAt: iso(k.createdAt),
    expiresAt: iso(k.expiresAt),
  };
}

export function powerUpUsageExport(
  u: PowerUpUsage & { powerUpType: { code: string } },
): z.infer<typeof PowerUpUsageExportSchema> {
  return {
    id: u.id,
    sessionId: u.sessionId,
    powerUpTypeId: u.powerUpTypeId,
    powerUpCode: u.powerUpType.code,
    createdAt: iso(u.createdAt),
  };
}

export function ledgerEntryExport(e: WalletLedgerEntry): z.infer<typeof LedgerEntryExportSchema> {
  return {
    id: e.id,
    sessionId: e.sessionId,
    kind: e.kind,
    xp: e.xp,
    coins: e.coins,
    gems: e.gems,
    createdAt: iso(e.createdAt),
  };
}

/** A voice session's transcript as stored in its input (null until a clip is transcribed). */
function transcriptOf(input: unknown): string | null {
  const stored = input as { mode?: unknown; transcript?: unknown } | null;
  return stored?.mode === 'voice' && typeof stored.transcript === 'string'
    ? stored.transcript
    : null;
}

export function sessionExport(s: ExportedSession): z.infer<typeof SessionExportSchema> {
  return {
    id: s.id,
    mode: MODE_FROM_DB[s.mode],
    status: s.status,
    topic: s.topic,
    personaId: s.personaId,
    templateId: s.templateId,
    input: s.input,
    transcript: transcriptOf(s.input),
    attempts: s.attempts,
    createdAt: iso(s.createdAt),
    startedAt: isoOrNull(s.startedAt),
    completedAt: isoOrNull(s.completedAt),
    result: {
      score: s.score,
      messageScore: s.messageScore,
      isSuccess: s.isSuccess,
      outcome: s.outcome,
      xpGained: s.xpGained,
      coinsGained: s.coinsGained,
      gemsGained: s.gemsGained,
      metrics: {
        charismaIndex: s.charismaIndex,
        ...traitsFromColumns(s),
        fillerWordsCount: s.fillerWordsCount,
        totalMessages: s.totalMessages,
        totalWords: s.totalWords,
        wordsPerMinute: s.wordsPerMinute,
      },
      aiCoreVersion: s.aiCoreVersion,
      aiProvider: s.aiProvider,
      aiSummary: s.aiSummary,
      aiCorePayload: s.aiCorePayload,
      walletAfter: s.walletAfter,
      contentHash: s.contentHash,
    },
    error: s.errorCode ? { code: s.errorCode, message: s.errorMessage } : null,
    chatNextIndex: s.chatNextIndex,
    messages: s.messages.map((m) => ({
      id: m.id,
      index: m.index,
      role: m.role,
      content: m.content,
      score: m.score,
      rarity: m.rarity,
      grade: m.grade,
      xpDelta: m.xpDelta,
      coinsDelta: m.coinsDelta,
      gemsDelta: m.gemsDelta,
      traits: m.traits,
      createdAt: iso(m.createdAt),
    })),
    voiceClip: s.voiceClip
      ? {
          ...s.voiceClip,
          transcribedAt: isoOrNull(s.voiceClip.transcribedAt),
          createdAt: iso(s.voiceClip.createdAt),
        }
      : null,
  };
}

/** A clip's audio entry without its bytes (the writer streams them into `audio`). */
export function clipAudioHeader(c: {
  id: string;
  sessionId: string;
  mimeType: string;
}): Omit<z.infer<typeof VoiceClipAudioExportSchema>, 'audio'> {
  return { clipId: c.id, sessionId: c.sessionId, mimeType: c.mimeType, encoding: 'base64' };
}
