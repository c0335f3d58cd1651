import { Prisma } from './db.js';

/**
 * Whether a write failed because the user it belongs to no longer exists: the account was deleted
 * (by this or another API process) while a request that had already passed authentication was
 * running. The caller answers 401 AUTH_INVALID instead of 500, as `requireAuth` does for a token
 * whose user is gone.
 *
 * Seen as a foreign-key violation on one of the `…_userId_fkey` constraints (node-postgres error
 * 23503, or Prisma's P2003/P2010 wrapping it) or as Prisma's P2025 "record not found" on `User`.
 */
export function isAccountGone(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    const meta = err.meta as
      { modelName?: string; driverAdapterError?: { cause?: unknown } } | undefined;
    if (err.code === 'P2025') return meta?.modelName === 'User';
    if (err.code !== 'P2003' && err.code !== 'P2010') return false;
    return isUserForeignKey(JSON.stringify(meta?.driverAdapterError?.cause ?? meta ?? {}));
  }
  const pgError = err as { code?: unknown; constraint?: unknown } | null;
  return pgError?.code === '23503' && isUserForeignKey(String(pgError.constraint));
}

const isUserForeignKey = (text: string) => /_userId_fkey\b/.test(text);
