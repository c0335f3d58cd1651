import { z } from 'zod';

export const ChatMessageSchema = z.strictObject({
  sessionId: z.string().trim().min(1).max(64),
  content: z.string().trim().min(1).max(2000),
});
