import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { inputOf, validate } from '../middleware/validate.js';
import { PreferencesSchema } from './schemas.js';
import { getProfile, profileView, updatePreferences } from './service.js';

export function profileRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(deps));

  router.get('/', async (_req, res) => {
    const user = await getProfile(deps.prisma, principalOf(res).id);
    res.json({ ok: true, profile: profileView(user) });
  });

  const prefs = { body: PreferencesSchema };
  router.patch('/preferences', validate(prefs), async (_req, res) => {
    const user = await updatePreferences(
      deps.prisma,
      principalOf(res).id,
      inputOf(res, prefs).body,
      deps.clock(),
    );
    res.json({ ok: true, profile: profileView(user) });
  });

  return router;
}
