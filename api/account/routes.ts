import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { notFound, unauthorized } from '../../shared/errors.js';
import { deleteAccount } from '../../shared/users/account-deletion.js';
import { loadAccountHead } from '../../shared/users/account-export.js';
import { checkPassword } from '../auth/passwords.js';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { exportLimiter, failedAuthLimiters } from '../middleware/rate-limit.js';
import { userRateLimitKeys } from '../middleware/rate-limit-keys.js';
import {
  loadSignedInAccount,
  requireSignedInAccount,
  signedInAccountOf,
} from '../middleware/signed-in-account.js';
import { inputOf, validate } from '../middleware/validate.js';
import { route } from '../shared/operations.js';
import { exportDocument } from './export.js';
import { AccountExportSchema, DeleteAccountSchema } from './schemas.js';

export function accountRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(deps));
  // Personal data, and errors about it: never stored by a cache.
  router.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    next();
  });

  route(
    router,
    {
      method: 'get',
      path: '/export',
      summary:
        'Everything stored about the caller as one JSON download (profile, wallet, stats, ledger, every session with its input, messages, result and stored audio, token metadata — never password or token hashes)',
      auth: true,
      ok: {
        200: {
          description: 'Account export (attachment)',
          schema: AccountExportSchema,
          headers: {
            'Content-Disposition': {
              description: 'attachment; filename="socialgym-export-<date>.json"',
            },
          },
        },
      },
      problems: ['USER_NOT_FOUND', 'RATE_LIMITED'],
    },
    exportLimiter(deps.config, deps.redis),
    async (req, res) => {
      const userId = principalOf(res).id;
      const head = await loadAccountHead(deps.prisma, userId);
      if (!head) throw notFound('USER_NOT_FOUND', 'No such user');
      const now = deps.clock();
      res.status(200).set({
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="socialgym-export-${now.toISOString().slice(0, 10)}.json"`,
      });
      try {
        await pipeline(Readable.from(exportDocument(deps.prisma, userId, head, now)), res);
      } catch (err) {
        // The status line is sent: a client that left, or a failed read, ends the connection so
        // the download is visibly incomplete (invalid JSON), never a valid-looking partial.
        req.log.warn({ err }, 'account export ended early');
        res.destroy();
      }
    },
  );

  // The caller's email and hash, before the limiters: they count wrong passwords per account.
  const del = { body: DeleteAccountSchema };
  route(
    router,
    {
      method: 'delete',
      path: '/',
      summary:
        'Delete the account and every row of it (sessions, messages, clips, ledger, tokens, idempotency keys, rate-limit keys); queued jobs finish as no-ops; the email can sign up again. A wrong password counts as a failed login of the account',
      auth: true,
      request: del,
      ok: { 204: { description: 'Deleted', noContent: true } },
      problems: ['AUTH_INVALID', 'RATE_LIMITED'],
    },
    validate(del),
    loadSignedInAccount(deps.prisma),
    // Wrong passwords share the failed-login limits of the account and the address: a stolen
    // access token is not a second way to guess the password.
    ...failedAuthLimiters(
      deps.config,
      deps.redis,
      'login',
      (_req, res) => signedInAccountOf(res)?.email ?? null,
    ),
    async (_req, res) => {
      const userId = principalOf(res).id;
      const { email, passwordHash } = requireSignedInAccount(res);
      const { password } = inputOf(res, del).body;
      if (!(await checkPassword(password, passwordHash, deps.config.BCRYPT_ROUNDS))) {
        throw unauthorized('AUTH_INVALID', 'Password is wrong');
      }
      const outcome = await deleteAccount(deps, userId, {
        passwordHash,
        keys: userRateLimitKeys(deps.config.QUEUE_PREFIX, { id: userId, email }),
      });
      if (outcome.kind === 'password-changed') {
        throw unauthorized('AUTH_INVALID', 'The password changed meanwhile; nothing was deleted');
      }
      // This process drops the user at once; the others within a poll (principal-changes.ts).
      deps.principals.forget(userId);
      res.status(204).end();
    },
  );

  return router;
}
