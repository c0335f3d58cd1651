import { z } from 'zod';

/** Ids are opaque but plain: letters, digits, '-' and '_' (anything else cannot exist). */
const id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, 'must be an id');

/** Fields every practice submission may carry. */
const common = {
  topic: z.string().trim().min(1).max(200).optional(),
  personaId: id.optional(),
  templateId: id.optional(),
};

/** USER | AI | SYSTEM in any case; "assistant" is the AI. */
const role = z
  .string()
  .transform((r) => r.trim().toUpperCase())
  .transform((r) => (r === 'ASSISTANT' ? 'AI' : r))
  .pipe(z.enum(['USER', 'AI', 'SYSTEM'], { message: 'must be USER, AI or SYSTEM' }));

const content = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const TextSessionSchema = z.strictObject({
  ...common,
  messages: z
    .array(
      z.strictObject({
        role,
        content: content(2000),
        timestamp: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .min(1, 'must contain at least 1 item')
    .max(60, 'must contain at most 60 items'),
});
export type TextSessionInput = z.infer<typeof TextSessionSchema>;

/** JSON form of the voice route (the audio upload is multipart and handled separately). */
export const VoiceSessionSchema = z.strictObject({
  ...common,
  transcript: content(20000),
  durationSec: z.number().min(1).max(3600).optional(),
});
export type VoiceSessionInput = z.infer<typeof VoiceSessionSchema>;

export const AbSessionSchema = z.strictObject({
  ...common,
  optionA: content(2000),
  optionB: content(2000),
  prompt: z.string().trim().max(2000).optional(),
});
export type AbSessionInput = z.infer<typeof AbSessionSchema>;

export const SessionParamsSchema = z.strictObject({ id: id });

export const WaitQuerySchema = z.strictObject({
  waitMs: z.coerce.number().int().min(0).max(30000).default(0),
});

export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** 1-255 printable ASCII characters. */
export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x20-\x7e]+$/);
