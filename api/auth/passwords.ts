import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { PasswordTask } from './password-worker.js';

/**
 * bcryptjs (the design card's choice) in a pool of worker threads, one per core: a burst of
 * logins uses the cores without stalling the event loop that answers submits. From TypeScript
 * sources (tsx, vitest) the worker is the .ts file, loaded through tsx; built, it is the .js.
 */
const source = import.meta.url.endsWith('.ts');
let pool: Piscina<PasswordTask, string | boolean> | null = null;

function passwordPool(): Piscina<PasswordTask, string | boolean> {
  if (pool) return pool;
  pool = new Piscina({
    filename: new URL(`./password-worker.${source ? 'ts' : 'js'}`, import.meta.url).href,
    maxThreads: availableParallelism(),
    // Idle threads end after a minute, so a quiet process holds none.
    idleTimeout: 60_000,
    ...(source ? { execArgv: ['--import', 'tsx'] } : {}),
  });
  // A thread that dies fails its task (a 500 for that request); the process must not crash.
  // Attached once, with the pool: not once per hash or compare.
  pool.on('error', (err: unknown) => {
    process.emitWarning(`password thread failed: ${String(err)}`);
  });
  return pool;
}

/** Ends the pool's threads (graceful shutdown). */
export async function closePasswordPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close();
}

export async function hashPassword(password: string, rounds: number): Promise<string> {
  return (await passwordPool().run({ op: 'hash', password, rounds })) as string;
}

/** A hash of a random password at the default cost: compared against when the email is unknown. */
const dummyHashes = new Map<number, Promise<string>>();

/**
 * Checks a password against a stored hash, or against a dummy hash of the same cost when there is
 * no user, so response time does not reveal whether the email exists.
 */
export async function checkPassword(
  password: string,
  hash: string | null,
  rounds: number,
): Promise<boolean> {
  let against = hash;
  if (!against) {
    let dummy = dummyHashes.get(rounds);
    if (!dummy) {
      dummy = hashPassword('not-a-real-password-placeholder', rounds);
      dummyHashes.set(rounds, dummy);
      // A failed hash (a dead thread) must not be remembered for every later unknown email.
      dummy.catch(() => dummyHashes.delete(rounds));
    }
    against = await dummy;
  }
  const same = (await passwordPool().run({ op: 'compare', password, hash: against })) as boolean;
  return hash !== null && same;
}
