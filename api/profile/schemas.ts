import { z } from 'zod';
import { displayName, timeZone } from '../auth/schemas.js';
import { Timestamp, okWith } from '../shared/responses.js';

export const GENDERS = ['MALE', 'FEMALE', 'OTHER', 'UNKNOWN'] as const;
export const ATTRACTED_TO = ['WOMEN', 'MEN', 'BOTH', 'OTHER', 'UNKNOWN'] as const;

export const PreferencesSchema = z.strictObject({
  gender: z.enum(GENDERS).optional(),
  attractedTo: z.enum(ATTRACTED_TO).optional(),
  timezone: timeZone.optional(),
  /** A display name (as at signup), or null to remove it. */
  name: displayName.nullable().optional(),
});
export type PreferencesInput = z.infer<typeof PreferencesSchema>;

export const PREFERENCE_PATHS = [
  'FEMALE_PATH',
  'MALE_PATH',
  'DUAL_PATH',
  'OTHER_PATH',
  'UNKNOWN_PATH',
] as const;

/** GET /v1/profile and PATCH /v1/profile/preferences. */
export const ProfileResponse = okWith({
  profile: z.object({
    userId: z.string(),
    email: z.string(),
    name: z.string().nullable().meta({ description: 'Display name; null when never given' }),
    gender: z.enum(GENDERS),
    attractedTo: z.enum(ATTRACTED_TO),
    preferencePath: z.enum(PREFERENCE_PATHS).meta({ description: 'Derived from attractedTo' }),
    timezone: z.string(),
    tier: z.string(),
    createdAt: Timestamp,
  }),
}).meta({ id: 'ProfileResponse' });
export type ProfileResponse = z.infer<typeof ProfileResponse>;
