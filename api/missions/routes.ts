import { Router } from 'express';
import { listMissions } from '../../shared/missions/progress.js';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { inputOf, validate } from '../middleware/validate.js';
import { route } from '../shared/operations.js';
import { MissionsQuerySchema, MissionsResponseSchema } from './schemas.js';
import { missionsView } from './views.js';

/** The active mission templates with the caller's progress (written only by the apply). */
export function missionRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(deps));

  const missions = { query: MissionsQuerySchema };
  route(
    router,
    {
      method: 'get',
      path: '/',
      summary: 'Active mission templates with the caller’s progress',
      auth: true,
      request: missions,
      ok: { 200: { description: 'Missions', schema: MissionsResponseSchema } },
    },
    validate(missions),
    async (_req, res) => {
      const { category } = inputOf(res, missions).query;
      const rows = await listMissions(deps.prisma, principalOf(res).id, deps.clock(), {
        category,
      });
      res.json(missionsView(rows));
    },
  );

  return router;
}
