import type { PrismaClient } from '../db.js';
import type { StoredInput } from './input.js';

type VoiceInput = Extract<StoredInput, { mode: 'voice' }>;

/**
 * Stores a clip's transcript in the session's input and deletes the clip, in one transaction: the
 * audio is kept only until it has been transcribed. Only a session still PROCESSING is changed;
 * returns false (and keeps the clip) otherwise.
 */
export async function storeTranscript(
  prisma: PrismaClient,
  sessionId: string,
  input: VoiceInput,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.practiceSession.updateMany({
      where: { id: sessionId, status: 'PROCESSING' },
      data: { input },
    });
    if (count === 0) return false;
    await tx.voiceClip.deleteMany({ where: { sessionId } });
    return true;
  });
}

/** The clip's bytes and type, or null when there is none (already transcribed, or never stored). */
export async function loadClip(prisma: PrismaClient, sessionId: string) {
  const clip = await prisma.voiceClip.findUnique({
    where: { sessionId },
    select: { audio: true, mimeType: true },
  });
  return clip?.audio ? { bytes: clip.audio, mimeType: clip.mimeType } : null;
}

/**
 * Deletes the clips of sessions FAILED more than `retentionHours` ago: a clip is personal data,
 * kept after a failure only for an ops retry. Returns how many were deleted.
 */
export async function purgeFailedVoiceClips(
  prisma: PrismaClient,
  retentionHours: number,
  now = new Date(),
): Promise<number> {
  const before = new Date(now.getTime() - retentionHours * 3_600_000);
  const { count } = await prisma.voiceClip.deleteMany({
    where: { session: { status: 'FAILED', completedAt: { lt: before } } },
  });
  return count;
}
