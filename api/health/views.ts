import type { LivenessResponse, ReadinessResponse } from './schemas.js';

export const livenessView = (): LivenessResponse => ({ ok: true, status: 'up' });

export const readinessView = (): ReadinessResponse => ({
  ok: true,
  checks: { db: 'up', redis: 'up' },
});
