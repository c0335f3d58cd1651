import { Router } from 'express';
import { notFound } from '../../shared/errors.js';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { readLimiter } from '../middleware/rate-limit.js';
import { inputOf, validate } from '../middleware/validate.js';
import { PageQuerySchema } from '../practice/schemas.js';
import { route } from '../shared/operations.js';
import { NEWEST_FIRST, afterCursor, decodeCursor, page } from '../shared/pagination.js';
import { LedgerPage, WalletResponse } from './schemas.js';
import { ledgerPageView, walletMeView } from './views.js';

export function walletRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requireAuth(deps));

  route(
    router,
    {
      method: 'get',
      path: '/me',
      summary: 'The caller’s wallet',
      auth: true,
      ok: { 200: { description: 'Wallet', schema: WalletResponse } },
      problems: ['USER_NOT_FOUND'],
    },
    async (_req, res) => {
      const wallet = await deps.prisma.userWallet.findUnique({
        where: { userId: principalOf(res).id },
      });
      if (!wallet) throw notFound('USER_NOT_FOUND', 'No wallet');
      res.json(walletMeView(wallet));
    },
  );

  const list = { query: PageQuerySchema };
  route(
    router,
    {
      method: 'get',
      path: '/transactions',
      summary: 'The caller’s ledger, newest first',
      auth: true,
      request: list,
      ok: { 200: { description: 'Page of ledger entries', schema: LedgerPage } },
      problems: ['RATE_LIMITED', 'INVALID_CURSOR'],
    },
    readLimiter(deps.config, deps.redis),
    validate(list),
    async (_req, res) => {
      const { limit, cursor } = inputOf(res, list).query;
      const rows = await deps.prisma.walletLedgerEntry.findMany({
        where: { userId: principalOf(res).id, ...afterCursor(decodeCursor(cursor)) },
        orderBy: NEWEST_FIRST,
        take: limit + 1,
      });
      const { items, nextCursor } = page(rows, limit);
      res.json(ledgerPageView(items, nextCursor));
    },
  );

  return router;
}
