import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { migrate } from '../../prisma/migrator.js';
import { workerDatabaseUrl } from '../helpers/config.js';

interface DmmfField {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isRequired: boolean;
  isList: boolean;
  relationFromFields?: string[];
}
interface Dmmf {
  datamodel: {
    models: { name: string; fields: DmmfField[] }[];
    enums: { name: string; values: { name: string }[] }[];
    indexes: {
      model: string;
      type: 'id' | 'unique' | 'normal' | 'fulltext';
      fields: { name: string }[];
    }[];
  };
}

/** How Prisma maps each scalar type to PostgreSQL (without @db attributes, which we do not use). */
const PG_TYPE: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  Float: 'double precision',
  Boolean: 'boolean',
  DateTime: 'timestamp without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
  BigInt: 'bigint',
};

let dmmf: Dmmf;
let db: pg.Client;

beforeAll(async () => {
  const schema = await readFile('prisma/schema.prisma', 'utf8');
  dmmf = JSON.parse(
    get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] })),
  ) as Dmmf;
  db = new pg.Client({ connectionString: workerDatabaseUrl() });
  await db.connect();
});
afterAll(() => db.end());

async function columns(table: string) {
  const { rows } = await db.query<{
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: string;
  }>(
    `SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.column_name, r]));
}

/** Index definitions of a table: columns in order, unique or not, primary or not. */
async function indexes(table: string) {
  const { rows } = await db.query<{
    columns: string[];
    indisunique: boolean;
    indisprimary: boolean;
  }>(
    `SELECT array_agg(a.attname ORDER BY k.ord)::text[] AS columns, i.indisunique, i.indisprimary
     FROM pg_index i
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
     WHERE t.relname = $1
     GROUP BY i.indexrelid, i.indisunique, i.indisprimary`,
    [table],
  );
  return rows;
}

describe('the migrated database matches prisma/schema.prisma', () => {
  it('has exactly the tables of the schema (plus Prisma’s migration table)', async () => {
    const { rows } = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const tables = rows
      .map((r) => r.table_name)
      .filter((t) => t !== '_prisma_migrations')
      .sort();
    expect(tables).toEqual(dmmf.datamodel.models.map((m) => m.name).sort());
  });

  it('has every field as a column of the right type and nullability, and no others', async () => {
    for (const model of dmmf.datamodel.models) {
      const cols = await columns(model.name);
      const scalars = model.fields.filter((f) => f.kind !== 'object');
      expect([...cols.keys()].sort(), model.name).toEqual(scalars.map((f) => f.name).sort());
      for (const field of scalars) {
        const col = cols.get(field.name);
        const where = `${model.name}.${field.name}`;
        expect(col, where).toBeDefined();
        if (field.kind === 'enum') expect(col?.udt_name, where).toBe(field.type);
        else expect(col?.data_type, where).toBe(PG_TYPE[field.type]);
        expect(col?.is_nullable, where).toBe(field.isRequired ? 'NO' : 'YES');
      }
    }
  });

  it('has every enum with exactly its values', async () => {
    for (const e of dmmf.datamodel.enums) {
      const { rows } = await db.query<{ enumlabel: string }>(
        `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
         WHERE t.typname = $1 ORDER BY e.enumsortorder`,
        [e.name],
      );
      expect(
        rows.map((r) => r.enumlabel),
        e.name,
      ).toEqual(e.values.map((v) => v.name));
    }
  });

  it('has every id, unique and index of the schema', async () => {
    for (const index of dmmf.datamodel.indexes) {
      const existing = await indexes(index.model);
      const cols = index.fields.map((f) => f.name);
      const match = existing.find(
        (i) =>
          JSON.stringify(i.columns) === JSON.stringify(cols) &&
          (index.type === 'id' ? i.indisprimary : index.type === 'unique' ? i.indisunique : true),
      );
      expect(match, `${index.type} ${index.model}(${cols.join(', ')})`).toBeDefined();
    }
  });

  it('has a foreign key for every relation', async () => {
    const { rows } = await db.query<{ table: string; columns: string[] }>(
      `SELECT c.conrelid::regclass::text AS table,
              array_agg(a.attname ORDER BY k.ord)::text[] AS columns
       FROM pg_constraint c
       JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
       WHERE c.contype = 'f' GROUP BY c.oid`,
    );
    const fks = new Set(rows.map((r) => `${r.table.replace(/"/g, '')}(${r.columns.join(',')})`));
    for (const model of dmmf.datamodel.models) {
      for (const field of model.fields) {
        if (!field.relationFromFields?.length) continue;
        expect(
          fks.has(`${model.name}(${field.relationFromFields.join(',')})`),
          `${model.name}.${field.name}`,
        ).toBe(true);
      }
    }
  });
});

describe('the migration runner', () => {
  const admin = inject('adminDatabaseUrl');
  const name = `sg_scratch_${randomBytes(4).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;

  afterAll(async () => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  });

  it('creates the database, applies every migration once and records it like Prisma', async () => {
    const first = await migrate(url.toString());
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await migrate(url.toString());
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        applied_steps_count: number;
      }>(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
      for (const row of rows) {
        const sql = await readFile(`prisma/migrations/${row.migration_name}/migration.sql`, 'utf8');
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.applied_steps_count).toBe(1);
      }
    } finally {
      await client.end();
    }
  });

  it('is safe to run from several processes at once', async () => {
    const results = await Promise.all([migrate(url.toString()), migrate(url.toString())]);
    expect(results.every((r) => r.applied.length === 0)).toBe(true);
  });
});
