import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { requireAuth } from '../middleware/auth.js';
import { inputOf, validate } from '../middleware/validate.js';
import { route } from '../shared/operations.js';
import { TemplatesQuerySchema } from './schemas.js';
import { templateView } from './views.js';

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
      ok: { 200: 'Personas' },
    },
    auth,
    async (_req, res) => {
      const personas = await deps.prisma.aiPersona.findMany({
        where: { active: true },
        orderBy: { code: 'asc' },
      });
      res.json({
        ok: true,
        personas: personas.map((p) => ({
          id: p.id,
          code: p.code,
          name: p.name,
          shortLabel: p.shortLabel,
          description: p.description,
          style: p.style,
          difficulty: p.difficulty,
          avatarUrl: p.avatarUrl,
        })),
      });
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
      ok: { 200: 'Templates' },
    },
    auth,
    validate(templates),
    async (_req, res) => {
      const { category } = inputOf(res, templates).query;
      const rows = await deps.prisma.practiceMissionTemplate.findMany({
        where: { active: true, ...(category ? { category } : {}) },
        orderBy: [{ category: 'asc' }, { difficulty: 'asc' }, { code: 'asc' }],
      });
      res.json({
        ok: true,
        templates: rows.map(templateView),
      });
    },
  );

  return router;
}
