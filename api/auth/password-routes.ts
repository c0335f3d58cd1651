import type { RequestHandler, Router } from 'express';
import type { AppDeps } from '../deps.js';
import { principalOf } from '../middleware/auth.js';
import type { AuthLimiters } from '../middleware/rate-limit.js';
import { loadSignedInAccount, requireSignedInAccount } from '../middleware/signed-in-account.js';
import { inputOf, validate } from '../middleware/validate.js';
import { route } from '../shared/operations.js';
import { changePassword } from './password-change.js';
import { confirmPasswordReset, sendPasswordReset } from './password-reset.js';
import { OkResponse } from '../shared/responses.js';
import {
  PasswordChangeSchema,
  ResetConfirmSchema,
  ResetRequestSchema,
  TokensResponse,
} from './schemas.js';
import { okView, tokensView } from './views.js';

/** Password change and reset, on the auth router (whose responses are all `no-store`). */
export function passwordRoutes(
  router: Router,
  deps: AppDeps,
  limits: AuthLimiters,
  authenticated: RequestHandler,
): void {
  const change = { body: PasswordChangeSchema };
  route(
    router,
    {
      method: 'post',
      path: '/password',
      summary:
        'Change the password. Every other token of the user stops working; the answer is a new pair. A wrong current password counts as a failed login of the account',
      auth: true,
      request: change,
      tokens: true,
      ok: { 200: { description: 'New token pair', schema: TokensResponse } },
      problems: ['RATE_LIMITED'],
    },
    authenticated,
    // The account's email first: wrong current passwords count as failed logins of it.
    loadSignedInAccount(deps.prisma),
    ...limits.passwordChange,
    validate(change),
    async (_req, res) => {
      const tokens = await changePassword(
        deps,
        principalOf(res).id,
        requireSignedInAccount(res).passwordHash,
        inputOf(res, change).body,
      );
      res.json(tokensView(tokens));
    },
  );

  const request = { body: ResetRequestSchema };
  route(
    router,
    {
      method: 'post',
      path: '/password-reset/request',
      summary:
        'Email a single-use reset link (valid 30 minutes) if the account exists. Always 202, sent before any work on the account, so nothing tells whether it exists',
      request,
      ok: { 202: { description: 'Accepted', schema: OkResponse } },
      problems: ['RATE_LIMITED'],
    },
    ...limits.resetRequest,
    validate(request),
    (req, res) => {
      const { email } = inputOf(res, request).body;
      // The request's logger, so the background lines carry its requestId.
      const logger = req.log;
      deps.background.run(
        'password-reset email',
        () => sendPasswordReset({ ...deps, logger }, email),
        { requestId: req.id },
      );
      res.status(202).json(okView());
    },
  );

  const confirm = { body: ResetConfirmSchema };
  route(
    router,
    {
      method: 'post',
      path: '/password-reset/confirm',
      summary:
        'Set a new password with an emailed reset token (single use). Every token of the user stops working',
      request: confirm,
      ok: { 200: { description: 'Password changed', schema: OkResponse } },
      problems: ['RESET_TOKEN_INVALID', 'RATE_LIMITED'],
    },
    limits.resetConfirm,
    validate(confirm),
    async (_req, res) => {
      await confirmPasswordReset(deps, inputOf(res, confirm).body);
      res.json(okView());
    },
  );
}
