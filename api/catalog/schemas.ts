import { z } from 'zod';

export const TemplatesQuerySchema = z.strictObject({
  category: z.enum(['OPENERS', 'FLIRTING', 'RECOVERY']).optional(),
});

/** One item of `GET /v1/templates` (and the template part of a `GET /v1/missions` item). */
export const TemplateSchema = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.enum(['OPENERS', 'FLIRTING', 'RECOVERY']),
  difficulty: z.int(),
  personaId: z.string().nullable(),
  timeLimitSec: z.int().nullable(),
  maxMessages: z.int().nullable(),
  wordLimit: z.int().nullable(),
  passScore: z.int(),
  rewards: z.object({ xp: z.int(), coins: z.int(), gems: z.int() }),
});
export type TemplateView = z.infer<typeof TemplateSchema>;
