import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyRecord, SessionSeen } from '../chaos/client.js';
import { checkInvariants } from '../chaos/invariants.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { submitText, waitForTerminal } from '../helpers/practice.js';
import { appWithWorker } from '../helpers/stack.js';

/**
 * The chaos run's invariants must be able to fail: each is checked against sessions scored by the
 * real worker (all hold), then against the same rows with one thing broken at a time.
 */

const t = appWithWorker();
const db = new pg.Pool({ connectionString: t.deps.config.DATABASE_URL, max: 2 });
afterAll(() => db.end());

let users: TestUser[] = [];
const keys: KeyRecord[] = [];
const seen = new Map<string, SessionSeen>();

beforeAll(async () => {
  users = [await createUser(t.app), await createUser(t.app)];
  for (const user of users) {
    for (let i = 0; i < 2; i++) {
      const key = `chaos-check-${user.id}-${i}`;
      const res = await submitText(t.app, user, undefined, key);
      expect(res.status).toBe(202);
      const id = String(res.body.sessionId);
      keys.push({ userId: user.id, key, tries: 1, sessionIds: new Set([id]), outcome: 'accepted' });
      const done = await waitForTerminal(t.app, user, id);
      const r = done.body.result.rewards;
      seen.set(id, {
        userId: user.id,
        status: String(done.body.status),
        rewards: { xp: r.xpGained, coins: r.coinsGained, gems: r.gemsGained },
      });
    }
  }
});

/** The names of the checks that fail now. */
async function violated(k: KeyRecord[] = keys): Promise<string[]> {
  const checks = await checkInvariants(
    db,
    users.map((u) => u.id),
    k,
    seen,
  );
  return checks.filter((c) => c.violations.length > 0).map((c) => c.name);
}

/** Breaks something for one check, then puts it back. */
async function whileBroken(breakSql: string, fixSql: string, params: unknown[]) {
  await db.query(breakSql, params);
  try {
    return await violated();
  } finally {
    await db.query(fixSql, params);
  }
}

const firstSession = () => [...seen.keys()][0]!;

describe('chaos invariants', () => {
  it('all hold for sessions scored exactly once', async () => {
    expect(await violated()).toEqual([]);
  });

  it('catch a wallet that differs from its ledger', async () => {
    const found = await whileBroken(
      `UPDATE "UserWallet" SET "coins" = "coins" + 1 WHERE "userId" = $1`,
      `UPDATE "UserWallet" SET "coins" = "coins" - 1 WHERE "userId" = $1`,
      [users[0]!.id],
    );
    expect(found).toEqual([expect.stringMatching(/^wallet = Σ ledger/)]);
  });

  it('catch stats that do not count the completed sessions', async () => {
    const found = await whileBroken(
      `UPDATE "UserStats" SET "sessionsCount" = "sessionsCount" + 1, "successCount" = "successCount" + 1 WHERE "userId" = $1`,
      `UPDATE "UserStats" SET "sessionsCount" = "sessionsCount" - 1, "successCount" = "successCount" - 1 WHERE "userId" = $1`,
      [users[1]!.id],
    );
    expect(found).toEqual([expect.stringMatching(/^stats = completed sessions/)]);
  });

  it('catch a session left unfinished, and its reward', async () => {
    const found = await whileBroken(
      `UPDATE "PracticeSession" SET "status" = 'PROCESSING' WHERE "id" = $1`,
      `UPDATE "PracticeSession" SET "status" = 'COMPLETED' WHERE "id" = $1`,
      [firstSession()],
    );
    expect(found).toEqual(
      expect.arrayContaining([
        'every accepted session terminal',
        expect.stringMatching(/^one SESSION_REWARD per COMPLETED session/),
        expect.stringMatching(/^wallet = Σ ledger/),
        expect.stringMatching(/^what clients were shown/),
      ]),
    );
  });

  it('catch a session reached by two keys', async () => {
    const found = await whileBroken(
      `INSERT INTO "IdempotencyKey" ("id", "userId", "key", "route", "fingerprint", "sessionId", "expiresAt")
       SELECT gen_random_uuid()::text, "userId", 'second-key', 'POST /v1/practice/session', 'x', "id",
         now() + interval '1 day'
       FROM "PracticeSession" WHERE "id" = $1`,
      `DELETE FROM "IdempotencyKey" WHERE "key" = 'second-key' AND "sessionId" = $1`,
      [firstSession()],
    );
    expect(found).toEqual([expect.stringMatching(/^no key mapped to two sessions/)]);
  });

  it('catch a key a client was answered with two sessions for', async () => {
    const [first, second] = keys;
    const twice = { ...first!, sessionIds: new Set([...first!.sessionIds, ...second!.sessionIds]) };
    expect(await violated([twice, ...keys.slice(1)])).toEqual([
      expect.stringMatching(/^no key mapped to two sessions/),
    ]);
  });

  it('catch rewards that differ from what a client was shown', async () => {
    const id = firstSession();
    const view = seen.get(id)!;
    seen.set(id, { ...view, rewards: { ...view.rewards!, xp: view.rewards!.xp + 1 } });
    try {
      expect(await violated()).toEqual([expect.stringMatching(/^what clients were shown/)]);
    } finally {
      seen.set(id, view);
    }
  });
});
