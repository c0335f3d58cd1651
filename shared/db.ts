import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from '../prisma/generated/client.js';

export { Prisma } from '../prisma/generated/client.js';
export type { PrismaClient };
export type * from '../prisma/generated/client.js';

/**
 * Prisma's pg adapter that remembers the `pg.Pool` it queries through, so the few hot-path
 * statements (`prepared` below) run on the same connections as Prisma does — one pool per client,
 * sized by `max`, opened and closed by Prisma ($connect / $disconnect).
 */
class SharedPoolPg extends PrismaPg {
  pool: pg.Pool | null = null;

  override async connect() {
    const adapter = await super.connect();
    this.pool = adapter.underlyingDriver();
    return adapter;
  }
}

const adapters = new WeakMap<PrismaClient, SharedPoolPg>();

/** A Prisma client over node-postgres (no query-engine binary). */
export function createPrisma(databaseUrl: string, options: { max?: number } = {}): PrismaClient {
  const adapter = new SharedPoolPg({ connectionString: databaseUrl, max: options.max ?? 10 });
  const prisma = new PrismaClient({ adapter });
  adapters.set(prisma, adapter);
  return prisma;
}

/**
 * The `pg.Pool` under a client made by `createPrisma`, connecting the client first if it has not
 * run a query yet (or was disconnected): statements sent here share Prisma's connections.
 */
export async function poolOf(prisma: PrismaClient): Promise<pg.Pool> {
  const adapter = adapters.get(prisma);
  if (!adapter) throw new Error('poolOf: this Prisma client was not made by createPrisma');
  if (!adapter.pool || adapter.pool.ending || adapter.pool.ended) {
    await prisma.$connect();
    if (!adapter.pool) throw new Error('poolOf: the Prisma client did not open its pool');
  }
  return adapter.pool;
}

/** A hot-path statement: parsed and planned once per connection under its name. */
export interface PreparedStatement {
  /** Unique per distinct text; a changed text needs a new name. */
  name: string;
  text: string;
}

/**
 * Runs a named prepared statement on the client's pool, bypassing Prisma's query runtime: for
 * the statements every session runs (submit, claim, apply). Rows come back as node-postgres
 * parses them (json/jsonb parsed, int4 numbers, bool, timestamptz as Date; never select a
 * timestamp without time zone, which node-postgres would read in the process's zone). Errors are
 * node-postgres errors (`code` is the SQLSTATE); see db-unavailable.ts.
 */
export async function prepared<Row>(
  prisma: PrismaClient,
  statement: PreparedStatement,
  values: unknown[],
): Promise<Row[]> {
  const pool = await poolOf(prisma);
  try {
    return (await pool.query<Row & pg.QueryResultRow>({ ...statement, values })).rows;
  } catch (err) {
    if (!isLostPreparedStatement(err)) throw err;
    // The server forgot the statement (a pooler's DISCARD ALL, a PgBouncer without
    // prepared-statement support) or its plan (a column type changed): nothing ran, and the pool
    // has dropped that connection, so one more try prepares it afresh on another.
    return (await pool.query<Row & pg.QueryResultRow>({ ...statement, values })).rows;
  }
}

/** invalid_sql_statement_name, and "cached plan must not change result type". */
const LOST_PREPARED = new Set(['26000', '0A000']);
const isLostPreparedStatement = (err: unknown) =>
  LOST_PREPARED.has(String((err as { code?: unknown } | null)?.code));

/** What a transaction callback receives. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
