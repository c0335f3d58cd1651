import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { sendProblem } from '../middleware/problem.js';
import { route } from '../shared/operations.js';
import { LivenessResponse, ReadinessResponse, type Checks } from './schemas.js';
import { livenessView, readinessView } from './views.js';

/** How long a readiness probe waits for each dependency. */
const CHECK_TIMEOUT_MS = 1500;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error('timeout'));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

async function check(work: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await withTimeout(work(), CHECK_TIMEOUT_MS);
    return 'up';
  } catch {
    return 'down';
  }
}

export function healthRoutes(deps: AppDeps): Router {
  const router = Router();

  route(
    router,
    {
      method: 'get',
      path: '/',
      summary: 'Liveness',
      database: false,
      ok: { 200: { description: 'Up', schema: LivenessResponse } },
    },
    (_req, res) => {
      res.json(livenessView());
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/ready',
      summary: 'Readiness (Postgres and Redis)',
      database: false,
      ok: { 200: { description: 'Ready', schema: ReadinessResponse } },
      problems: ['NOT_READY'],
    },
    async (_req, res) => {
      const [db, redis] = await Promise.all([
        check(() => deps.prisma.$queryRaw`SELECT 1`),
        check(() => deps.redis.ping()),
      ]);
      const checks: Checks = { db, redis };
      if (db === 'up' && redis === 'up') {
        res.json(readinessView());
        return;
      }
      const failed = Object.entries(checks)
        .filter(([, v]) => v === 'down')
        .map(([k]) => k);
      res.setHeader('Retry-After', '5');
      sendProblem(res, {
        status: 503,
        code: 'NOT_READY',
        detail: `Unavailable: ${failed.join(', ')}`,
        extra: { checks },
      });
    },
  );

  return router;
}
