import { z } from 'zod';
import { okWith } from '../shared/responses.js';

const MISSION_CATEGORIES = ['OPENERS', 'FLIRTING', 'RECOVERY'] as const;

export const TemplatesQuerySchema = z.strictObject({
  category: z.enum(MISSION_CATEGORIES).optional(),
});

const int = z.number().int();

export const PersonasResponse = okWith({
  personas: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      shortLabel: z.string(),
      description: z.string(),
      style: z.string(),
      difficulty: int,
      avatarUrl: z.string().nullable(),
    }),
  ),
}).meta({ id: 'PersonasResponse' });
export type PersonasResponse = z.infer<typeof PersonasResponse>;

/** A mission template as /v1/templates lists it (and /v1/missions extends it). */
export const TemplateSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.enum(MISSION_CATEGORIES),
    difficulty: int,
    personaId: z.string().nullable(),
    timeLimitSec: int.nullable(),
    maxMessages: int.nullable(),
    wordLimit: int.nullable(),
    passScore: int,
    rewards: z.object({ xp: int, coins: int, gems: int }),
  })
  .meta({ id: 'Template' });
export type Template = z.infer<typeof TemplateSchema>;

export const TemplatesResponse = okWith({ templates: z.array(TemplateSchema) }).meta({
  id: 'TemplatesResponse',
});
export type TemplatesResponse = z.infer<typeof TemplatesResponse>;
