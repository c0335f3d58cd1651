import type { RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../shared/db.js';
import { unauthorized } from '../../shared/errors.js';
import { principalOf } from './auth.js';

/** The signed-in caller's email and password hash, for routes that check the password. */
export interface SignedInAccount {
  email: string;
  passwordHash: string;
}

/**
 * Reads the caller's account once (behind requireAuth), before the failed-password limiters
 * (keyed by the email) and the password check (the hash) that follow it.
 */
export function loadSignedInAccount(prisma: PrismaClient): RequestHandler {
  return async (_req, res, next) => {
    const account = await prisma.user.findUnique({
      where: { id: principalOf(res).id },
      select: { email: true, passwordHash: true },
    });
    if (!account) throw unauthorized('AUTH_INVALID', 'Unknown user');
    res.locals.signedInAccount = account;
    next();
  };
}

/** What `loadSignedInAccount` stored; null on a route that did not load it. */
export const signedInAccountOf = (res: Response): SignedInAccount | null =>
  (res.locals.signedInAccount as SignedInAccount | undefined) ?? null;

/** The loaded account, on a route that has `loadSignedInAccount` before its handler. */
export function requireSignedInAccount(res: Response): SignedInAccount {
  const account = signedInAccountOf(res);
  if (!account) throw new Error('loadSignedInAccount must run before this handler');
  return account;
}
