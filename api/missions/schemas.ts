import { z } from 'zod';
import { TemplateSchema, TemplatesQuerySchema } from '../catalog/schemas.js';

/** `GET /v1/missions` takes the same optional `?category=` as `/v1/templates`. */
export const MissionsQuerySchema = TemplatesQuerySchema;

export const MissionProgressSchema = z.object({
  attempts: z.int().nonnegative(),
  bestScore: z.int().nonnegative(),
  passed: z.boolean(),
  lastPlayedAt: z.iso.datetime().nullable(),
  bonusAvailableToday: z.boolean().meta({
    description:
      'A passing session now would be paid the template’s mission bonus: none was paid yet on the user’s local day (a timezone change counts from 24 hours after it)',
  }),
});

/** One active template, exactly as `/v1/templates` shows it, with the caller's progress. */
export const MissionSchema = TemplateSchema.extend({ progress: MissionProgressSchema });

/** The success body of `GET /v1/missions`. */
export const MissionsResponseSchema = z.object({
  ok: z.literal(true),
  missions: z.array(MissionSchema),
});
export type MissionsResponse = z.infer<typeof MissionsResponseSchema>;
