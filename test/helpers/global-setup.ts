import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../prisma/migrator.js';

/**
 * Creates one migrated throw-away database per test worker (copies of a template) and drops them
 * afterwards. The admin URL must point at a database we may CREATE DATABASE from.
 */
const ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/** One more than vitest's maxWorkers, so every VITEST_POOL_ID has a database. */
const WORKER_DATABASES = 4;

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrlPattern: string;
    adminDatabaseUrl: string;
  }
}

function urlFor(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  const run = `sg_test_${process.pid}`;
  const template = `${run}_tpl`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await dropStale(admin);
  await migrate(urlFor(template));
  const names = Array.from({ length: WORKER_DATABASES + 1 }, (_, i) => `${run}_w${i}`);
  for (const name of names) await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  project.provide('databaseUrlPattern', urlFor(`${run}_w__ID__`));
  project.provide('adminDatabaseUrl', ADMIN_URL);

  return async () => {
    for (const name of [...names, template]) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
    await admin.end();
  };
}

/** Databases left by a test run that was killed (its process is gone). */
async function dropStale(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'sg\\_test\\_%'",
  );
  for (const { datname } of rows) {
    const pid = Number(/^sg_test_(\d+)_/.exec(datname)?.[1]);
    if (pid && !isAlive(pid))
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
