import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { workerDatabaseUrl } from '../helpers/config.js';
import { createUser, type TestUser } from '../helpers/factories.js';

/** Two API processes over one database, as behind a load balancer. */
const one = createTestApp();
const two = createTestApp();
afterAll(async () => {
  await one.close();
  await two.close();
});

const profile = async (t: TestApp, user: TestUser) => {
  const res = await request(t.app).get('/v1/profile').set(user.auth);
  return res.status === 200 ? 200 : `${res.status} ${String(res.body.code)}`;
};

/** Runs `work` on a connection of its own (a person at psql), committing at the end. */
async function bySql<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: workerDatabaseUrl() });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/**
 * A change nobody records: the "User" triggers are skipped (session_replication_role = replica,
 * as logical replication applies rows), so only the 0.9 s rule can end the cached entry.
 */
const bumpUnrecorded = (user: TestUser) =>
  bySql(async (db) => {
    await db.query('BEGIN');
    await db.query('SET LOCAL session_replication_role = replica');
    await db.query('UPDATE "User" SET "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1', [
      user.id,
    ]);
    await db.query('COMMIT');
  });

const polling = (t: TestApp) => expect.poll(() => t.deps.principals.polling).toBe(true);
const within1s = { interval: 20, timeout: 1000 };

describe('cached sessionVersion', () => {
  it('ends a revoked token at once in the revoking process and within a second in the others', async () => {
    await polling(two);
    const user = await createUser(one.app);
    expect(await profile(one, user)).toBe(200);
    expect(await profile(two, user)).toBe(200);

    expect((await request(one.app).post('/v1/auth/revoke').set(user.auth).send({})).status).toBe(
      200,
    );
    expect(await profile(one, user)).toBe('401 AUTH_REVOKED');
    await expect.poll(() => profile(two, user), within1s).toBe('401 AUTH_REVOKED');
  });

  it('ends the tokens within a second when the version or the role is changed by hand in SQL', async () => {
    await polling(one);
    await polling(two);
    const user = await createUser(one.app);
    expect(await profile(one, user)).toBe(200);
    expect(await profile(two, user)).toBe(200);
    await bySql((db) =>
      db.query('UPDATE "User" SET "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1', [
        user.id,
      ]),
    );
    await Promise.all([
      expect.poll(() => profile(one, user), within1s).toBe('401 AUTH_REVOKED'),
      expect.poll(() => profile(two, user), within1s).toBe('401 AUTH_REVOKED'),
    ]);

    // A role change is a change too: an admin token must not outlive a demotion by much.
    const admin = await createUser(one.app);
    await one.deps.prisma.user.update({ where: { id: admin.id }, data: { role: 'ADMIN' } });
    const asAdmin = await request(two.app)
      .post('/v1/auth/revoke')
      .set(admin.auth)
      .send({
        userId: (await createUser(one.app)).id,
      });
    expect(asAdmin.status).toBe(200);
    await bySql((db) => db.query(`UPDATE "User" SET "role" = 'USER' WHERE "id" = $1`, [admin.id]));
    await expect
      .poll(
        async () =>
          (
            await request(two.app)
              .post('/v1/auth/revoke')
              .set(admin.auth)
              .send({ userId: (await createUser(one.app)).id })
          ).status,
        { interval: 20, timeout: 1500 },
      )
      .toBe(403);
  });

  it('sees a change whose transaction commits long after it was written', async () => {
    await polling(two);
    const user = await createUser(one.app);
    expect(await profile(two, user)).toBe(200);
    await bySql(async (db) => {
      await db.query('BEGIN');
      await db.query('UPDATE "User" SET "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1', [
        user.id,
      ]);
      // Several polls run meanwhile; none can see the uncommitted row.
      await sleep(800);
      expect(await profile(two, user)).toBe(200);
      await db.query('COMMIT');
    });
    await expect.poll(() => profile(two, user), within1s).toBe('401 AUTH_REVOKED');
  });

  it('keeps an entry past a second while changes are polled: an unrecorded change stays unseen', async () => {
    await polling(two);
    const user = await createUser(one.app);
    expect(await profile(two, user)).toBe(200);
    await bumpUnrecorded(user);
    await sleep(1200);
    // Served from the cache (no read since), while `one`, which has no entry, reads the database.
    await polling(two);
    expect(await profile(two, user)).toBe(200);
    expect(await profile(one, user)).toBe('401 AUTH_REVOKED');
  });

  it('reads an entry again after 0.9 s while polling is stalled', async () => {
    await polling(two);
    const user = await createUser(one.app);
    expect(await profile(two, user)).toBe(200);
    // Every poll now waits behind this lock: nothing can be learnt about changes.
    const locker = new pg.Client({ connectionString: workerDatabaseUrl() });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "PrincipalChange" IN ACCESS EXCLUSIVE MODE');
      await bumpUnrecorded(user);
      await expect.poll(() => two.deps.principals.polling, { timeout: 5000 }).toBe(false);
      await expect.poll(() => profile(two, user), within1s).toBe('401 AUTH_REVOKED');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await polling(two);
  });

  it('drops a deleted account within a second on every process', async () => {
    await polling(two);
    const user = await createUser(one.app);
    expect(await profile(two, user)).toBe(200);
    const deleted = await request(one.app)
      .delete('/v1/account')
      .set(user.auth)
      .send({ password: user.password });
    expect(deleted.status).toBe(204);
    await expect.poll(() => profile(two, user), within1s).toBe('401 AUTH_INVALID');
  });
});
