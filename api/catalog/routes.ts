import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { requireAuth } from '../middleware/auth.js';
import { inputOf, validate } from '../middleware/validate.js';
import { route } from '../shared/operations.js';
import { PersonasResponse, TemplatesQuerySchema, TemplatesResponse } from './schemas.js';
import { personasView, templatesView } from './views.js';

/** Seeded catalog reads: active personas and mission templates. */
export function catalogRoutes(deps: AppDeps): Router {
  const router = Router();
  // Mounted at /v1 beside other routers: authenticate per route, not with router.use.
  const auth = requireAuth(deps);

  route(
    router,
    {
      method: 'get',
      path: '/personas',
      summary: 'Active personas',
      auth: true,
      ok: { 200: { description: 'Personas', schema: PersonasResponse } },
    },
    auth,
    async (_req, res) => {
      const personas = await deps.prisma.aiPersona.findMany({
        where: { active: true },
        orderBy: { code: 'asc' },
      });
      res.json(personasView(personas));
    },
  );

  const templates = { query: TemplatesQuerySchema };
  route(
    router,
    {
      method: 'get',
      path: '/templates',
      summary: 'Active mission templates',
      auth: true,
      request: templates,
      ok: { 200: { description: 'Templates', schema: TemplatesResponse } },
    },
    auth,
    validate(templates),
    async (_req, res) => {
      const { category } = inputOf(res, templates).query;
      const rows = await deps.prisma.practiceMissionTemplate.findMany({
        where: { active: true, ...(category ? { category } : {}) },
        orderBy: [{ category: 'asc' }, { difficulty: 'asc' }, { code: 'asc' }],
      });
      res.json(templatesView(rows));
    },
  );

  return router;
}
