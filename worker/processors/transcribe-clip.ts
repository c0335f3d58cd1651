import type { Transcriber } from '../../shared/ai/openai/transcriber.js';
import { ProviderError } from '../../shared/ai/openai/errors.js';
import type { PrismaClient } from '../../shared/db.js';
import type { StoredInput } from '../../shared/sessions/input.js';
import { loadClip, storeTranscript } from '../../shared/sessions/voice-clip.js';
import { PermanentSessionError } from './failures.js';

type VoiceInput = Extract<StoredInput, { mode: 'voice' }>;

/**
 * Transcribes an uploaded clip, stores the transcript in the session and deletes the clip. A retry
 * after this point finds the transcript and never transcribes twice. The spoken duration is the
 * one measured from the file at upload; the transcriber's is used only when none was measured.
 */
export async function transcribeClip(
  deps: { prisma: PrismaClient; transcriber?: Transcriber | null },
  sessionId: string,
  input: VoiceInput,
): Promise<VoiceInput> {
  if (!deps.transcriber) {
    throw new PermanentSessionError(
      'TRANSCRIPTION_UNAVAILABLE',
      'This worker has no transcription provider',
    );
  }
  const clip = await loadClip(deps.prisma, sessionId);
  if (!clip) throw new PermanentSessionError('AUDIO_MISSING', 'The session has no audio clip');
  let transcript;
  try {
    transcript = await deps.transcriber.transcribe({
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
  const { text, ...facts } = transcript;
  const next: VoiceInput = {
    ...input,
    transcript: text,
    durationSec: input.durationSec ?? facts.durationSec,
    transcription: facts,
  };
  await storeTranscript(deps.prisma, sessionId, next);
  return next;
}
