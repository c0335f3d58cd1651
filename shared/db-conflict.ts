import { Prisma } from './db.js';

/** deadlock_detected, serialization_failure: Postgres aborted the transaction; a rerun may pass. */
const POSTGRES_CODES = new Set(['40P01', '40001']);

/**
 * Whether an error means "Postgres aborted this transaction for a deadlock or a serialization
 * failure": rerunning the whole transaction is the documented answer. Prisma reports it as P2034
 * (its own queries) or P2010 (raw queries) with, through the pg driver adapter, the Postgres code
 * in `meta.driverAdapterError.cause.originalCode`.
 */
export function isTransactionConflict(err: unknown): boolean {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (err.code === 'P2034') return true;
  const meta = err.meta as
    { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return code !== undefined && POSTGRES_CODES.has(code);
}

/**
 * Runs `transaction` (a whole transaction, safe to rerun: it commits all or nothing) up to
 * `attempts` times while it fails with a deadlock or serialization failure; any other error, or
 * the last conflict, is thrown.
 */
export async function retryOnConflict<T>(
  attempts: number,
  transaction: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      if (attempt >= attempts || !isTransactionConflict(err)) throw err;
    }
  }
}
