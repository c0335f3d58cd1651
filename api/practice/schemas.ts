import { z } from 'zod';

/** A catalog reference; an unknown one answers PERSONA_NOT_FOUND / TEMPLATE_NOT_FOUND. */
const ref = z.string().trim().min(1).max(64);

/** Fields every practice submission may carry (null is the same as absent). */
const common = {
  topic: z.string().trim().min(1).max(200).nullish(),
  personaId: ref.nullish(),
  templateId: ref.nullish(),
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
        timestamp: z.union([z.iso.datetime({ offset: true }), z.number().nonnegative()]).nullish(),
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
  durationSec: z.number().min(1).max(3600).nullish(),
});
export type VoiceSessionInput = z.infer<typeof VoiceSessionSchema>;

/** An empty form field is an absent one (forms send every input they have). */
const formField = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * Text fields of the voice route's audio upload (multipart/form-data, the file in part `audio`).
 * The duration measured from the file wins over `durationSec`.
 */
export const VoiceAudioFormSchema = z.strictObject({
  topic: formField(common.topic),
  personaId: formField(common.personaId),
  templateId: formField(common.templateId),
  durationSec: formField(z.coerce.number().min(1).max(3600)),
});
export type VoiceAudioFormInput = z.infer<typeof VoiceAudioFormSchema>;

export const AbSessionSchema = z.strictObject({
  ...common,
  optionA: content(2000),
  optionB: content(2000),
  prompt: z.string().trim().max(2000).nullish(),
});
export type AbSessionInput = z.infer<typeof AbSessionSchema>;

/** Ids are opaque but plain (letters, digits, '-', '_'); anything else cannot exist. */
export const SessionParamsSchema = z.strictObject({
  id: z.string().regex(/^[\w-]{1,64}$/, 'must be a session id'),
});

/** The longest long-poll a client may ask for (API.md). */
export const MAX_WAIT_MS = 30_000;

export const WaitQuerySchema = z.strictObject({
  waitMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(0),
});

export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** A query value matched in any case and given in the case the views show it. */
const anyCase = <const T extends readonly [string, ...string[]]>(
  values: T,
  to: 'lower' | 'upper',
) =>
  z
    .string()
    .transform((v) => (to === 'lower' ? v.trim().toLowerCase() : v.trim().toUpperCase()))
    .pipe(z.enum(values, { message: `must be one of ${values.join(', ')}` }));

/** Filters of the session list; each absent one matches every session. */
export const SessionFilterSchema = z.strictObject({
  mode: anyCase(['text', 'voice', 'ab'], 'lower').optional(),
  status: anyCase(['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED'], 'upper').optional(),
  templateId: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'must be a template id')
    .optional(),
});
export type SessionFilterInput = z.infer<typeof SessionFilterSchema>;

/**
 * `GET /v1/practice/sessions`: a page, optionally filtered. A `cursor` carries the filters of the
 * page it came from and continues them: send it alone, or with the very same filters (other
 * filters answer 400 INVALID_CURSOR).
 */
export const SessionsQuerySchema = z.strictObject({
  ...PageQuerySchema.shape,
  // Room for the filters the cursor carries.
  cursor: z.string().max(400).optional(),
  ...SessionFilterSchema.shape,
});

/** 1-255 printable ASCII characters. */
export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x20-\x7e]+$/);
