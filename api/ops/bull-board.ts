import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler } from 'express';
import type { Config } from '../../shared/config.js';
import type { PrismaClient } from '../../shared/db.js';
import { unauthorized } from '../../shared/errors.js';
import { verifyAccessToken } from '../auth/tokens.js';

export const BULL_BOARD_PATH = '/admin/queues';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Admin authentication for ops pages: HTTP Basic with ADMIN_USER/ADMIN_PASSWORD, or the access
 * token of a user whose role is ADMIN (sessionVersion checked like any authenticated request).
 */
function requireAdmin(config: Config, prisma: PrismaClient): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const [scheme, value = ''] = header.split(' ');
    if (scheme === 'Basic') {
      const [user, ...rest] = Buffer.from(value, 'base64').toString('utf8').split(':');
      if (
        sameText(user ?? '', config.ADMIN_USER ?? '') &&
        sameText(rest.join(':'), config.ADMIN_PASSWORD ?? '')
      ) {
        next();
        return;
      }
    } else if (scheme === 'Bearer') {
      const claims = await verifyAccessToken(config, value).catch(() => null);
      const user = claims && (await prisma.user.findUnique({ where: { id: claims.sub } }));
      if (claims && user?.role === 'ADMIN' && user.sessionVersion === claims.sv) {
        next();
        return;
      }
    }
    res.setHeader('WWW-Authenticate', 'Basic realm="SocialGym ops", charset="UTF-8"');
    throw unauthorized('AUTH_INVALID', 'Admin authentication required');
  };
}

/** Bull Board at /admin/queues; not mounted at all (404) when no admin credential is configured. */
export function bullBoard(config: Config, prisma: PrismaClient, queues: Queue[]): Router | null {
  if (!config.ADMIN_USER || !config.ADMIN_PASSWORD) return null;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  const router = Router();
  router.use(requireAdmin(config, prisma), serverAdapter.getRouter() as RequestHandler);
  return router;
}
