import type { PrismaClient } from '../../shared/db.js';

/**
 * Which rows of the database belong to a user, found from the schema itself (information_schema),
 * not from a list someone has to keep up to date: the User row; every table with a foreign key to
 * a table holding the user's rows (sessions, then their messages, clips…), followed transitively;
 * and every table with a `userId` column, foreign key or not. A table added later is found here,
 * so the export and deletion tests fail until it is exported and deleted.
 */

interface ForeignKey {
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
}

type Row = Record<string, unknown>;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function schemaFacts(prisma: PrismaClient) {
  const fks = await prisma.$queryRawUnsafe<ForeignKey[]>(`
    SELECT tc.table_name AS child, kcu.column_name AS column,
           ccu.table_name AS parent, ccu.column_name AS "parentColumn"
    FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage kcu
      ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
    JOIN information_schema.constraint_column_usage ccu
      ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
    WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`);
  const withUserId = await prisma.$queryRawUnsafe<{ table: string }[]>(`
    SELECT table_name AS table FROM information_schema.columns
    WHERE table_schema = current_schema() AND column_name = 'userId'`);
  const keys = await prisma.$queryRawUnsafe<{ table: string; column: string }[]>(`
    SELECT tc.table_name AS table, kcu.column_name AS column
    FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage kcu
      ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
    WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
    ORDER BY kcu.ordinal_position`);
  const primaryKey = new Map<string, string[]>();
  for (const k of keys) primaryKey.set(k.table, [...(primaryKey.get(k.table) ?? []), k.column]);
  return { fks, withUserId: withUserId.map((r) => r.table), primaryKey };
}

/** The tables that can hold a user's rows: User, its FK descendants, and tables with `userId`. */
export async function userTables(prisma: PrismaClient): Promise<string[]> {
  const { fks, withUserId } = await schemaFacts(prisma);
  const owned = new Set<string>(['User', ...withUserId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const fk of fks) {
      if (owned.has(fk.parent) && !owned.has(fk.child)) {
        owned.add(fk.child);
        grew = true;
      }
    }
  }
  return [...owned].sort();
}

/**
 * The primary keys (joined with "|") of every row of `userId`, per table of `userTables`: a row is
 * the user's when its `userId` is the user's or one of its foreign keys points at a row of the
 * user (computed to a fixed point, so chains of any length are followed).
 */
export async function userRows(
  prisma: PrismaClient,
  userId: string,
): Promise<Map<string, string[]>> {
  const { fks, withUserId, primaryKey } = await schemaFacts(prisma);
  const tables = await userTables(prisma);
  const rows = new Map<string, Row[]>(tables.map((t) => [t, []]));
  for (let grew = true; grew;) {
    grew = false;
    for (const table of tables) {
      const conditions: string[] = [];
      const params: unknown[] = [];
      if (table === 'User') {
        params.push(userId);
        conditions.push(`"id" = $${String(params.length)}`);
      }
      if (withUserId.includes(table)) {
        params.push(userId);
        conditions.push(`"userId" = $${String(params.length)}`);
      }
      for (const fk of fks.filter((f) => f.child === table && rows.has(f.parent))) {
        const values = (rows.get(fk.parent) ?? []).map((r) => r[fk.parentColumn]);
        if (values.length === 0) continue;
        params.push(values.map(String));
        conditions.push(`${q(fk.column)}::text = ANY($${String(params.length)}::text[])`);
      }
      if (conditions.length === 0) continue;
      const found = await prisma.$queryRawUnsafe<{ row: Row }[]>(
        `SELECT to_jsonb(t.*) AS row FROM ${q(table)} t WHERE ${conditions.join(' OR ')}`,
        ...params,
      );
      if (found.length !== rows.get(table)?.length) {
        rows.set(
          table,
          found.map((f) => f.row),
        );
        grew = true;
      }
    }
  }
  const ids = new Map<string, string[]>();
  for (const [table, list] of rows) {
    const pk = primaryKey.get(table) ?? ['id'];
    ids.set(table, list.map((r) => pk.map((c) => String(r[c])).join('|')).sort());
  }
  return ids;
}

/** How many rows each user table holds for the user. */
export async function userRowCounts(prisma: PrismaClient, userId: string) {
  const rows = await userRows(prisma, userId);
  return Object.fromEntries([...rows].map(([t, ids]) => [t, ids.length]));
}
