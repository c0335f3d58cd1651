import pg from 'pg';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { workerDatabaseUrl } from '../helpers/config.js';
import { createUser } from '../helpers/factories.js';
import { submitText } from '../helpers/practice.js';
import { userRowCounts, userTables } from '../helpers/user-tables.js';

const t = createTestApp();
const { app, deps } = t;
afterAll(() => t.close());

/**
 * Resolves once some backend waits for a lock while running a query matching `like`. `client`
 * must not be in a transaction (pg_stat_activity is read once per transaction).
 */
async function waitUntilBlocked(client: pg.Client, like: string): Promise<void> {
  for (;;) {
    const { rowCount } = await client.query(
      `SELECT 1 FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND wait_event_type = 'Lock' AND query LIKE $1`,
      [like],
    );
    if (rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('DELETE /v1/account caught in a deadlock', () => {
  it('is retried when Postgres aborts it (40P01): 204, and every row of the user is gone', async () => {
    const user = await createUser(app);
    const submitted = await submitText(app, user);
    expect(submitted.status).toBe(202);
    const sessionId = submitted.body.sessionId as string;

    // Another transaction takes the user row, then — once the deletion holds the user's session
    // and waits for that row — the session: a lock cycle. Its own deadlock check is put off, so
    // Postgres aborts the deletion's side (which waited first), not this one.
    const other = new pg.Client({ connectionString: workerDatabaseUrl() });
    const watcher = new pg.Client({ connectionString: workerDatabaseUrl() });
    await other.connect();
    await watcher.connect();
    try {
      await other.query("SET deadlock_timeout = '20s'");
      await other.query('BEGIN');
      await other.query('SELECT 1 FROM "User" WHERE "id" = $1 FOR UPDATE', [user.id]);

      const deletion = request(app)
        .delete('/v1/account')
        .set(user.auth)
        .send({ password: user.password })
        .then((res) => res);
      await waitUntilBlocked(watcher, '%FROM "User"%FOR UPDATE%');
      // Granted only once the deletion's transaction has ended (it cannot have committed: it
      // waits for the user row this transaction holds), i.e. Postgres aborted it for the cycle.
      const locked = await other.query(
        'SELECT 1 FROM "PracticeSession" WHERE "id" = $1 FOR UPDATE',
        [sessionId],
      );
      expect(locked.rowCount).toBe(1);
      await other.query('COMMIT');

      // Its rerun then finds nothing in its way.
      const res = await deletion;
      expect(res.status, JSON.stringify(res.body)).toBe(204);
      const zero = Object.fromEntries((await userTables(deps.prisma)).map((table) => [table, 0]));
      expect(await userRowCounts(deps.prisma, user.id)).toEqual(zero);
    } finally {
      await other.end();
      await watcher.end();
    }
  });
});
