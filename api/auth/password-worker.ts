/**
 * Runs in a worker thread of the password pool (passwords.ts): bcrypt is pure CPU (about half a
 * second at cost 12), so it must not run on the event loop that answers every other request.
 */
import bcrypt from 'bcryptjs';

export type PasswordTask =
  | { op: 'hash'; password: string; rounds: number }
  | { op: 'compare'; password: string; hash: string };

export default function run(task: PasswordTask): string | boolean {
  return task.op === 'hash'
    ? bcrypt.hashSync(task.password, task.rounds)
    : bcrypt.compareSync(task.password, task.hash);
}
