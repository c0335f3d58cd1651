import { Prisma } from './db.js';

/**
 * Whether an error means "the database cannot be used right now" (down, restarting, out of
 * connections) rather than "this query is wrong": callers answer 503 and retry instead of 500.
 * Prisma reports it as a P1xxx code, a pool timeout, or — through the pg driver adapter — a
 * `driverAdapterError` whose cause is unreachable/closed or a Postgres shutdown/startup code.
 */

/** Can't reach, timed out, closed connection, pool timeout, no transaction slot. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);
/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket and DNS errors of node-postgres itself (a failover or restart, seen from the client). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** SQLSTATE class 08: connection exceptions. */
const isConnectionException = (code: string) => code.startsWith('08');

/** node-postgres's own errors without a code: the connection dropped or never came. */
const PG_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end)/;

interface AdapterCause {
  kind?: string;
  code?: string;
  originalCode?: string;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientInitializationError) return true;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (PRISMA_CODES.has(err.code)) return true;
    const meta = err.meta as { driverAdapterError?: { cause?: AdapterCause } } | undefined;
    return isUnavailableCause(meta?.driverAdapterError?.cause);
  }
  if (err instanceof Prisma.PrismaClientUnknownRequestError) {
    return /Connection terminated|ECONNREFUSED|ECONNRESET/.test(err.message);
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string')
    return SOCKET_CODES.has(code) || POSTGRES_CODES.has(code) || isConnectionException(code);
  // node-postgres itself (the hot-path statements, db.ts `prepared`): a lost connection or pool.
  return err instanceof Error && PG_MESSAGES.test(err.message);
}

function isUnavailableCause(cause: AdapterCause | undefined): boolean {
  if (!cause) return false;
  if (cause.kind && ADAPTER_KINDS.has(cause.kind)) return true;
  const code = cause.originalCode ?? cause.code;
  return code !== undefined && (POSTGRES_CODES.has(code) || isConnectionException(code));
}
