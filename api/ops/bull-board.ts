import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type Request, type RequestHandler } from 'express';
import type { Config } from '../../shared/config.js';
import type { PrismaClient } from '../../shared/db.js';
import { AppError, unauthorized } from '../../shared/errors.js';
import { verifyAccessToken } from '../auth/tokens.js';
import type { AppDeps } from '../deps.js';
import { failedAuthLimiters } from '../middleware/rate-limit.js';

export const BULL_BOARD_PATH = '/admin/queues';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user and password of an `Authorization: Basic` header, or null. */
function basicCredentials(req: Request): { user: string; password: string } | null {
  const [scheme, value = ''] = (req.get('authorization') ?? '').split(' ');
  if (scheme !== 'Basic') return null;
  const [user = '', ...rest] = Buffer.from(value, 'base64').toString('utf8').split(':');
  return { user, password: rest.join(':') };
}

function bearerClaims(config: Config, token: string) {
  try {
    return verifyAccessToken(config, token);
  } catch {
    return null;
  }
}

/** Read-only mode: anything but a read is refused before Bull Board (which refuses it too). */
const readsOnly: RequestHandler = (req, _res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new AppError('READ_ONLY', 405, 'Bull Board is read-only (BULL_BOARD_READ_ONLY)', {
      headers: { Allow: 'GET, HEAD' },
    });
  }
  next();
};

/**
 * Admin authentication for ops pages: HTTP Basic with ADMIN_USER/ADMIN_PASSWORD, or the access
 * token of a user whose role is ADMIN (sessionVersion checked like any authenticated request).
 */
function requireAdmin(config: Config, prisma: PrismaClient): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const [scheme, value = ''] = header.split(' ');
    const basic = basicCredentials(req);
    if (basic) {
      if (
        sameText(basic.user, config.ADMIN_USER ?? '') &&
        sameText(basic.password, config.ADMIN_PASSWORD ?? '')
      ) {
        next();
        return;
      }
    } else if (scheme === 'Bearer') {
      const claims = bearerClaims(config, value);
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

/**
 * Bull Board at /admin/queues; not mounted at all (404) when no admin credential is configured.
 * Failed admin authentication is limited like failed logins (per address, per Basic user and
 * address, per Basic user); a request without credentials (a browser's first try) is not a guess.
 */
export function bullBoard(
  deps: Pick<AppDeps, 'config' | 'prisma' | 'queues' | 'redis'>,
): Router | null {
  const { config, prisma, queues, redis } = deps;
  if (!config.ADMIN_USER || !config.ADMIN_PASSWORD) return null;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  const readOnlyMode = config.BULL_BOARD_READ_ONLY;
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode })),
    serverAdapter,
  });
  const router = Router();
  const limits = failedAuthLimiters(
    config,
    redis,
    'admin',
    (req) => basicCredentials(req)?.user ?? null,
    (req) => !req.get('authorization'),
  );
  router.use(...limits, requireAdmin(config, prisma));
  if (readOnlyMode) router.use(readsOnly);
  router.use(serverAdapter.getRouter() as RequestHandler);
  return router;
}
