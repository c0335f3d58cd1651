import { normaliseMessage } from './normalise.js';

/** Why a USER message earns nothing (its score and rarity stand). */
export type MessageWithheld = 'LOW_EFFORT' | 'REPEATED_MESSAGE';

export interface MessageFacts {
  /** Position in the submitted conversation. */
  index: number;
  /** The provider's flags for the message. */
  flags: readonly string[];
  /** What the user wrote; null when unknown (then only the low-effort rule can apply). */
  text: string | null;
}

/**
 * The session's own fair-play rules (SCORING.md): a message flagged `low-effort`, or repeating an
 * earlier USER message of the same session (normalised: case, whitespace, punctuation), earns
 * nothing. `messages` are the USER messages in order; the result maps the index of each message
 * that earns nothing to the reason (low effort first when both hold).
 */
export function withheldMessages(messages: readonly MessageFacts[]): Map<number, MessageWithheld> {
  const seen = new Set<string>();
  const withheld = new Map<number, MessageWithheld>();
  for (const m of messages) {
    const key = m.text === null ? null : normaliseMessage(m.text);
    if (m.flags.includes('low-effort')) withheld.set(m.index, 'LOW_EFFORT');
    else if (key !== null && seen.has(key)) withheld.set(m.index, 'REPEATED_MESSAGE');
    if (key !== null) seen.add(key);
  }
  return withheld;
}
