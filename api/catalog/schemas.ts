import { z } from 'zod';

export const TemplatesQuerySchema = z.strictObject({
  category: z.enum(['OPENERS', 'FLIRTING', 'RECOVERY']).optional(),
});
