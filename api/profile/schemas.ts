import { z } from 'zod';
import { timeZone } from '../auth/schemas.js';

export const GENDERS = ['MALE', 'FEMALE', 'OTHER', 'UNKNOWN'] as const;
export const ATTRACTED_TO = ['WOMEN', 'MEN', 'BOTH', 'OTHER', 'UNKNOWN'] as const;

export const PreferencesSchema = z.strictObject({
  gender: z.enum(GENDERS).optional(),
  attractedTo: z.enum(ATTRACTED_TO).optional(),
  timezone: timeZone.optional(),
});
export type PreferencesInput = z.infer<typeof PreferencesSchema>;
