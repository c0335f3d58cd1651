import { createHash } from 'node:crypto';

/**
 * Fair play compares what the user wrote, not how it was typed (SCORING.md): a message is reduced
 * to its letters, digits and symbols. NFKC folds look-alike forms (full-width letters, ligatures);
 * case is folded; punctuation (\p{P}), whitespace and invisible format characters (\p{Cf}, e.g. a
 * zero-width space) are dropped, so "Hey, you!" and "hey you" are the same message. Emoji are
 * symbols and stay: they are content.
 */
export function normaliseMessage(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{White_Space}\p{Cf}]+/gu, '');
}

/** Changes whenever normaliseMessage changes, so old and new hashes never meet by accident. */
const HASH_VERSION = 'fp1';

/**
 * The fingerprint of a session's USER messages for the repeated-content rule: SHA-256 (hex) of the
 * normalised messages in order. `unordered` (A/B) sorts them first: options A and B swapped are
 * the same submission, since only the winner is rewarded.
 */
export function contentHash(userMessages: readonly string[], unordered = false): string {
  const normalised = userMessages.map(normaliseMessage);
  if (unordered) normalised.sort();
  return createHash('sha256')
    .update(`${HASH_VERSION}\n${JSON.stringify(normalised)}`)
    .digest('hex');
}
