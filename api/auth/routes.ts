import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { authLimiters } from '../middleware/rate-limit.js';
import { inputOf, validate } from '../middleware/validate.js';
import { LoginSchema, LogoutSchema, RefreshSchema, RevokeSchema, SignupSchema } from './schemas.js';
import * as auth from './service.js';

const userView = (user: { id: string; email: string; createdAt: Date }) => ({
  id: user.id,
  email: user.email,
  createdAt: user.createdAt.toISOString(),
});

export function authRoutes(deps: AppDeps): Router {
  const router = Router();
  const limits = authLimiters(deps.config, deps.redis);
  const authenticated = requireAuth(deps);
  // Responses carrying tokens must not be stored by any cache (API.md); errors neither.
  router.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    next();
  });

  const signup = { body: SignupSchema };
  router.post('/signup', limits.signup, validate(signup), async (_req, res) => {
    const { body } = inputOf(res, signup);
    const { user, ...tokens } = await auth.signup(deps, body);
    res.status(201).json({ ok: true, user: userView(user), ...tokens });
  });

  const login = { body: LoginSchema };
  router.post('/login', ...limits.login, validate(login), async (_req, res) => {
    const { user, ...tokens } = await auth.login(deps, inputOf(res, login).body);
    res.json({ ok: true, user: userView(user), ...tokens });
  });

  const refresh = { body: RefreshSchema };
  router.post('/refresh', limits.refresh, validate(refresh), async (_req, res) => {
    const tokens = await auth.refresh(deps, inputOf(res, refresh).body.refreshToken);
    res.json({ ok: true, ...tokens });
  });

  const logout = { body: LogoutSchema };
  router.post('/logout', authenticated, validate(logout), async (_req, res) => {
    await auth.logout(deps, principalOf(res).id, inputOf(res, logout).body.refreshToken);
    res.json({ ok: true });
  });

  const revoke = { body: RevokeSchema };
  router.post('/revoke', authenticated, validate(revoke), async (_req, res) => {
    await auth.revokeUser(deps, principalOf(res), inputOf(res, revoke).body.userId);
    res.json({ ok: true });
  });

  return router;
}
