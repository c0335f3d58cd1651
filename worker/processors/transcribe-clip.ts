import type { Transcriber } from '../../shared/ai/openai/transcriber.js';
import { ProviderError } from '../../shared/ai/openai/errors.js';
import type { PrismaClient } from '../../shared/db.js';
import type { StoredInput } from '../../shared/sessions/input.js';
import { loadClip, storeTranscript } from '../../shared/sessions/voice-clip.js';
import { PermanentSessionError } from './failures.js';

type VoiceInput = Extract<StoredInput, { mode: 'voice' }>;

/** Runs `fn` when a slot is free (p-limit). */
export type Slots = <T>(fn: () => Promise<T>) => Promise<T>;

/** The bound of a JSON transcript (API.md) holds for transcribed clips too. */
const MAX_TRANSCRIPT_CHARS = 20_000;

/**
 * Transcribes an uploaded clip, stores the transcript in the session and deletes the clip. A retry
 * after this point finds the transcript and never transcribes twice. The spoken duration is the
 * one measured from the file at upload; the transcriber's is used only when none was measured.
 * Null when the session itself is gone (its account was deleted while the job ran): nothing to do.
 */
export async function transcribeClip(
  deps: {
    prisma: PrismaClient;
    transcriber?: Transcriber | null;
    transcriptionSlots?: Slots | undefined;
  },
  sessionId: string,
  input: VoiceInput,
): Promise<VoiceInput | null> {
  if (!deps.transcriber) {
    throw new PermanentSessionError(
      'TRANSCRIPTION_UNAVAILABLE',
      'This worker has no transcription provider',
    );
  }
  const { transcriber } = deps;
  // A clip is in memory only inside a slot: at most TRANSCRIPTION_CONCURRENCY per process.
  const slot: Slots = deps.transcriptionSlots ?? ((fn) => fn());
  const transcript = await slot(async () => {
    const clip = await loadClip(deps.prisma, sessionId);
    if (!clip) {
      const session = await deps.prisma.practiceSession.count({ where: { id: sessionId } });
      if (session === 0) return null;
      throw new PermanentSessionError('AUDIO_MISSING', 'The session has no audio clip');
    }
    try {
      return await transcriber.transcribe({
        bytes: clip.bytes,
        mimeType: clip.mimeType,
        ext: input.audio?.ext ?? 'wav',
      });
    } catch (err) {
      if (err instanceof ProviderError && err.permanent) {
        throw new PermanentSessionError(err.code, err.message, { cause: err });
      }
      throw err;
    }
  });
  if (transcript === null) return null;
  const { text, ...facts } = transcript;
  if (text.length > MAX_TRANSCRIPT_CHARS) {
    throw new PermanentSessionError(
      'TRANSCRIPT_TOO_LONG',
      `The transcript has ${String(text.length)} characters; at most ${String(MAX_TRANSCRIPT_CHARS)}`,
    );
  }
  const next: VoiceInput = {
    ...input,
    transcript: text,
    durationSec: input.durationSec ?? facts.durationSec,
    transcription: facts,
  };
  await storeTranscript(deps.prisma, sessionId, next);
  return next;
}
