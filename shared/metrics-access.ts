import { timingSafeEqual } from 'node:crypto';
import type { Config } from './config.js';

/**
 * Who may read /metrics, the API's and each worker's (API.md): with METRICS_TOKEN set only
 * `Authorization: Bearer <token>`; without it anyone in development and test, and nobody in
 * production (the endpoint is not served).
 */
export type MetricsAccess = { kind: 'token'; token: string } | { kind: 'open' } | { kind: 'off' };

export function metricsAccess(config: Pick<Config, 'METRICS_TOKEN' | 'NODE_ENV'>): MetricsAccess {
  if (config.METRICS_TOKEN) return { kind: 'token', token: config.METRICS_TOKEN };
  return config.NODE_ENV === 'production' ? { kind: 'off' } : { kind: 'open' };
}

/** Whether a request's Authorization header may read metrics (constant-time token compare). */
export function metricsAllowed(access: MetricsAccess, authorization: string | undefined): boolean {
  switch (access.kind) {
    case 'open':
      return true;
    case 'off':
      return false;
    case 'token': {
      const given = Buffer.from(authorization ?? '');
      const expected = Buffer.from(`Bearer ${access.token}`);
      return given.length === expected.length && timingSafeEqual(given, expected);
    }
  }
}
