import { z } from 'zod';
import { displayName, timeZone } from '../auth/schemas.js';

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
