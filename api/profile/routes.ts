import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { inputOf, validate } from '../middleware/validate.js';
import { route } from '../shared/operations.js';
import { PreferencesSchema, ProfileResponse } from './schemas.js';
import { getProfile, updatePreferences } from './service.js';
import { profileView } from './views.js';

export function profileRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(deps));

  route(
    router,
    {
      method: 'get',
      path: '/',
      summary: 'The caller’s profile',
      auth: true,
      ok: { 200: { description: 'Profile', schema: ProfileResponse } },
      problems: ['USER_NOT_FOUND'],
    },
    async (_req, res) => {
      const user = await getProfile(deps.prisma, principalOf(res).id);
      res.json(profileView(user));
    },
  );

  const prefs = { body: PreferencesSchema };
  route(
    router,
    {
      method: 'patch',
      path: '/preferences',
      summary:
        'Update preferences and the display name (null removes it). A new timezone shows at once; streaks and daily reward limits count days in it from 24 hours after the change',
      auth: true,
      request: prefs,
      ok: { 200: { description: 'Profile', schema: ProfileResponse } },
      problems: ['PREFS_EMPTY', 'USER_NOT_FOUND'],
    },
    validate(prefs),
    async (_req, res) => {
      const user = await updatePreferences(
        deps.prisma,
        principalOf(res).id,
        inputOf(res, prefs).body,
        deps.clock(),
      );
      res.json(profileView(user));
    },
  );

  return router;
}
