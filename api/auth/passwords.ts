import bcrypt from 'bcryptjs';

/** A hash of a random password at the default cost: compared against when the email is unknown. */
const dummyHashes = new Map<number, Promise<string>>();

export function hashPassword(password: string, rounds: number): Promise<string> {
  return bcrypt.hash(password, rounds);
}

/**
 * Checks a password against a stored hash, or against a dummy hash of the same cost when there is
 * no user, so response time does not reveal whether the email exists.
 */
export async function checkPassword(
  password: string,
  hash: string | null,
  rounds: number,
): Promise<boolean> {
  if (hash) return bcrypt.compare(password, hash);
  let dummy = dummyHashes.get(rounds);
  if (!dummy) {
    dummy = bcrypt.hash('not-a-real-password-placeholder', rounds);
    dummyHashes.set(rounds, dummy);
  }
  await bcrypt.compare(password, await dummy);
  return false;
}
