import bcrypt from 'bcryptjs';
import { PREHASHED_PREFIX, prehash } from '../../api/auth/password-format.js';
import type pg from 'pg';
import type { Pool } from 'undici';
import { postJson, type BenchUser } from './load.js';

/** Signups in flight at once: enough to be quick, few enough not to look like the load itself. */
const SIGNUP_CONCURRENCY = 16;

/** Creates `count` users through POST /v1/auth/signup (wallet and stats rows come with them). */
export async function signupUsers(pool: Pool, count: number, runId: string): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(SIGNUP_CONCURRENCY, count) }, async () => {
      while (next < count) {
        const i = next++;
        const email = `bench-${runId}-${i}@example.com`;
        const password = `bench-password-${i}`;
        const res = await postJson(pool, '/v1/auth/signup', { email, password });
        const body = res.json as { user?: { id: string }; accessToken?: string } | null;
        if (res.status !== 201 || !body?.user || !body.accessToken) {
          throw new Error(`signup answered ${res.status}: ${JSON.stringify(res.json)}`);
        }
        users.push({ id: body.user.id, email, password, token: body.accessToken });
      }
    }),
  );
  return users;
}

/**
 * Gives some users one shared password hashed at production cost. The stack runs with a low
 * BCRYPT_ROUNDS so that creating hundreds of users is quick, but a login burst only measures
 * something when each compare costs what it costs in production (bcrypt reads the cost from the
 * stored hash). One hash for all of them: hashing at cost 12 in the bench takes ~0.3 s each.
 */
export async function useProductionCost(
  db: pg.Pool,
  users: BenchUser[],
  rounds: number,
): Promise<BenchUser[]> {
  const password = 'bench-login-password';
  // The stored format of api/auth/password-worker.ts (a legacy plain-bcrypt hash would be
  // replaced at the first login, at the stack's low cost).
  const salt = await bcrypt.genSalt(rounds);
  const hash = PREHASHED_PREFIX + (await bcrypt.hash(prehash(password, salt), salt));
  await db.query('UPDATE "User" SET "passwordHash" = $1 WHERE "id" = ANY($2)', [
    hash,
    users.map((u) => u.id),
  ]);
  return users.map((u) => ({ ...u, password }));
}
