/**
 * Runs in a worker thread of the password pool (passwords.ts): bcrypt is pure CPU (about half a
 * second at cost 12), so it must not run on the event loop that answers every other request.
 */
import bcrypt from 'bcryptjs';
import { BCRYPT_SALT_LENGTH, PREHASHED_PREFIX, isLegacyHash, prehash } from './password-format.js';

export type PasswordTask =
  | { op: 'hash'; password: string; rounds: number }
  | { op: 'compare'; password: string; hash: string };

function hash(password: string, rounds: number): string {
  const salt = bcrypt.genSaltSync(rounds);
  return PREHASHED_PREFIX + bcrypt.hashSync(prehash(password, salt), salt);
}

function compare(password: string, stored: string): boolean {
  if (isLegacyHash(stored)) return bcrypt.compareSync(password, stored);
  const inner = stored.slice(PREHASHED_PREFIX.length);
  return bcrypt.compareSync(prehash(password, inner.slice(0, BCRYPT_SALT_LENGTH)), inner);
}

export default function run(task: PasswordTask): string | boolean {
  return task.op === 'hash' ? hash(task.password, task.rounds) : compare(task.password, task.hash);
}
