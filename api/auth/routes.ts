import { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { authLimiters } from '../middleware/rate-limit.js';
import { inputOf, validate } from '../middleware/validate.js';
import { route } from '../shared/operations.js';
import { passwordRoutes } from './password-routes.js';
import { OkResponse } from '../shared/responses.js';
import {
  AuthResponse,
  LoginSchema,
  LogoutSchema,
  RefreshSchema,
  RevokeSchema,
  SignupSchema,
  TokensResponse,
} from './schemas.js';
import * as auth from './service.js';
import { authView, tokensView } from './views.js';

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
  route(
    router,
    {
      method: 'post',
      path: '/signup',
      summary: 'Create an account',
      request: signup,
      tokens: true,
      ok: { 201: { description: 'User and tokens', schema: AuthResponse } },
      problems: ['EMAIL_TAKEN', 'RATE_LIMITED'],
    },
    limits.signup,
    validate(signup),
    async (_req, res) => {
      const { body } = inputOf(res, signup);
      const { user, ...tokens } = await auth.signup(deps, body);
      res.status(201).json(authView(user, tokens));
    },
  );

  const login = { body: LoginSchema };
  route(
    router,
    {
      method: 'post',
      path: '/login',
      summary:
        'Sign in. Only wrong credentials (401) count toward the failed-login limits: per account and address, per address, and a slower per-account ceiling',
      request: login,
      tokens: true,
      ok: { 200: { description: 'User and tokens', schema: AuthResponse } },
      problems: ['AUTH_INVALID', 'RATE_LIMITED'],
    },
    ...limits.login,
    validate(login),
    async (_req, res) => {
      const { user, ...tokens } = await auth.login(deps, inputOf(res, login).body);
      res.json(authView(user, tokens));
    },
  );

  const refresh = { body: RefreshSchema };
  route(
    router,
    {
      method: 'post',
      path: '/refresh',
      summary:
        'Rotate a refresh token. Presented again within REFRESH_REUSE_GRACE_SEC (20 s) of its rotation it answers the same successor; later, AUTH_REFRESH_REUSED revokes the family and ends the access tokens',
      request: refresh,
      tokens: true,
      ok: { 200: { description: 'New token pair', schema: TokensResponse } },
      problems: [
        'AUTH_REFRESH_INVALID',
        'AUTH_REFRESH_EXPIRED',
        'AUTH_REFRESH_REUSED',
        'RATE_LIMITED',
      ],
    },
    limits.refresh,
    validate(refresh),
    async (_req, res) => {
      const tokens = await auth.refresh(deps, inputOf(res, refresh).body.refreshToken);
      res.json(tokensView(tokens));
    },
  );

  const logout = { body: LogoutSchema };
  route(
    router,
    {
      method: 'post',
      path: '/logout',
      summary: 'End all access tokens and a refresh family',
      auth: true,
      request: logout,
      ok: { 200: { description: 'Signed out', schema: OkResponse } },
    },
    authenticated,
    validate(logout),
    async (_req, res) => {
      await auth.logout(deps, principalOf(res).id, inputOf(res, logout).body.refreshToken);
      res.json({ ok: true });
    },
  );

  const revoke = { body: RevokeSchema };
  route(
    router,
    {
      method: 'post',
      path: '/revoke',
      summary: 'Revoke a user (self, or any user for admins)',
      auth: true,
      request: revoke,
      ok: { 200: { description: 'Revoked', schema: OkResponse } },
      problems: ['FORBIDDEN', 'USER_NOT_FOUND'],
    },
    authenticated,
    validate(revoke),
    async (_req, res) => {
      await auth.revokeUser(deps, principalOf(res), inputOf(res, revoke).body.userId);
      res.json({ ok: true });
    },
  );

  passwordRoutes(router, deps, limits, authenticated);

  return router;
}
