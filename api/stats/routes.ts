import { Router, type RequestHandler } from 'express';
import { buildDashboard } from '../../shared/stats/dashboard.js';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { route } from '../shared/operations.js';
import { DashboardResponse } from './schemas.js';
import { dashboardView } from './views.js';

/** The dashboard handler; the canonical route and the legacy aliases all use it. */
export function dashboardHandler(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    const dashboard = await buildDashboard(deps.prisma, principalOf(res).id, deps.clock());
    res.json(dashboardView(dashboard));
  };
}

export function statsRoutes(deps: AppDeps): Router {
  const router = Router();
  route(
    router,
    {
      method: 'get',
      path: '/dashboard',
      summary: 'The dashboard',
      auth: true,
      ok: { 200: { description: 'Dashboard', schema: DashboardResponse } },
      problems: ['USER_NOT_FOUND'],
    },
    requireAuth(deps),
    dashboardHandler(deps),
  );
  return router;
}
