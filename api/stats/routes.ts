import { Router, type RequestHandler } from 'express';
import { buildDashboard } from '../../shared/stats/dashboard.js';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';

/** The dashboard handler; the canonical route and the legacy aliases all use it. */
export function dashboardHandler(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    const dashboard = await buildDashboard(deps.prisma, principalOf(res).id, deps.clock());
    res.json({ ok: true, ...dashboard });
  };
}

export function statsRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/dashboard', requireAuth(deps), dashboardHandler(deps));
  return router;
}
