import { z } from 'zod';
import { okWith } from '../shared/responses.js';

export const LivenessResponse = okWith({ status: z.literal('up') }).meta({ id: 'Liveness' });
export type LivenessResponse = z.infer<typeof LivenessResponse>;

const Check = z.enum(['up', 'down']);
export const Checks = z.object({ db: Check, redis: Check });
export type Checks = z.infer<typeof Checks>;

/** 200 only when every check is up (a failing one answers 503 NOT_READY with its `checks`). */
export const ReadinessResponse = okWith({
  checks: z.object({ db: z.literal('up'), redis: z.literal('up') }),
}).meta({ id: 'Readiness' });
export type ReadinessResponse = z.infer<typeof ReadinessResponse>;
