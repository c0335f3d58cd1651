import { z } from 'zod';
import type { CoreMessageInput, PracticeMode } from '../ai/index.js';

/**
 * What a QUEUED session stores as `input`: the normalised submission the worker scores. Parsed
 * again by the worker, so a corrupted row fails the session instead of scoring garbage.
 */
const Message = z.object({
  role: z.enum(['USER', 'AI', 'SYSTEM']),
  content: z.string(),
});

const AudioFacts = z.object({
  mimeType: z.string(),
  ext: z.string(),
  sizeBytes: z.number().int().positive(),
  durationSec: z.number().positive().nullable(),
});

const TranscriptionFacts = z.object({
  model: z.string(),
  language: z.string().nullable(),
  durationSec: z.number().nullable(),
  timedWords: z.number().int().nullable(),
  speechSec: z.number().nullable(),
  latencyMs: z.number(),
});

export const StoredInputSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('text'), messages: z.array(Message).min(1) }),
  z.object({
    mode: z.literal('voice'),
    /** Null while an uploaded clip waits for the worker to transcribe it. */
    transcript: z.string().min(1).nullable(),
    /** Spoken duration: measured from the clip, or as the client sent it. */
    durationSec: z.number().positive().nullable(),
    /** The uploaded clip (its bytes are in VoiceClip until transcribed). */
    audio: AudioFacts.optional(),
    /** What the transcriber reported, once it ran. */
    transcription: TranscriptionFacts.optional(),
  }),
  z.object({
    mode: z.literal('ab'),
    prompt: z.string().nullable(),
    optionA: z.string().min(1),
    optionB: z.string().min(1),
  }),
]);
export type StoredInput = z.infer<typeof StoredInputSchema>;

export const MODE_TO_DB = { text: 'TEXT', voice: 'VOICE', ab: 'AB' } as const;
export const MODE_FROM_DB = { TEXT: 'text', VOICE: 'voice', AB: 'ab' } as const satisfies Record<
  string,
  PracticeMode
>;

/**
 * The messages as ChatMessage rows hold them, at the indexes results use: text keeps the submitted
 * order, voice is one USER message, A/B is option A (0) and option B (1); the A/B prompt is context
 * kept in `input` and the result, not a message.
 */
export function conversationOf(input: StoredInput): CoreMessageInput[] {
  switch (input.mode) {
    case 'text':
      return input.messages;
    case 'voice':
      return [{ role: 'USER', content: input.transcript ?? '' }];
    case 'ab':
      return [
        { role: 'USER', content: input.optionA },
        { role: 'USER', content: input.optionB },
      ];
  }
}
