import { z } from 'zod';
import { Timestamp, okWith } from '../shared/responses.js';

export const ChatMessageSchema = z.strictObject({
  sessionId: z.string().trim().min(1).max(64),
  content: z.string().trim().min(1).max(2000),
});

const int = z.number().int();

export const ChatMessageResponse = okWith({
  message: z.object({
    id: z.string(),
    sessionId: z.string(),
    index: int,
    role: z.literal('USER'),
    content: z.string(),
    createdAt: Timestamp,
  }),
}).meta({ id: 'ChatMessageResponse' });
export type ChatMessageResponse = z.infer<typeof ChatMessageResponse>;

export const PowerupsResponse = okWith({
  powerups: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      description: z.string(),
      gemCost: int,
      maxUsesPerSession: int,
    }),
  ),
  usages: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      sessionId: z.string().nullable(),
      createdAt: Timestamp,
    }),
  ),
}).meta({ id: 'PowerupsResponse' });
export type PowerupsResponse = z.infer<typeof PowerupsResponse>;
