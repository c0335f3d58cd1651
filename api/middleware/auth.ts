import type { RequestHandler, Response } from 'express';
import type { Config } from '../../shared/config.js';
import { unauthorized } from '../../shared/errors.js';
import { verifyAccessToken } from '../auth/tokens.js';
import type { PrincipalCache } from './principals.js';

export interface Principal {
  id: string;
  role: 'USER' | 'ADMIN';
}

/**
 * Requires a valid Bearer access token whose `sv` still equals the user's sessionVersion
 * (logout and revoke bump it, ending every token issued before). The version comes from a cache
 * under a second old (principals.ts), so a busy user's requests skip the database.
 */
export function requireAuth(deps: { config: Config; principals: PrincipalCache }): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([\w.~+/-]+=*)$/.exec(header);
    if (!match?.[1]) throw unauthorized('AUTH_INVALID', 'Missing or malformed bearer token');
    const claims = verifyAccessToken(deps.config, match[1]);
    const user = await deps.principals.get(claims.sub);
    if (!user) throw unauthorized('AUTH_INVALID', 'Unknown user');
    if (user.sessionVersion !== claims.sv) throw unauthorized('AUTH_REVOKED', 'Session revoked');
    const principal: Principal = { id: claims.sub, role: user.role };
    // req.log binds the userId from here on (request-log.ts).
    res.locals.principal = principal;
    next();
  };
}

/** The authenticated caller; only valid behind `requireAuth`. */
export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
