/** A mission template's limits on the USER messages (API.md: 400 TEMPLATE_LIMIT_EXCEEDED). */
export interface TemplateLimits {
  maxMessages: number | null;
  wordLimit: number | null;
}

/** Words as the limits count them: runs of non-space characters. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * Why these USER messages break the template's limits, or null when they keep them. Every mode
 * is held to the same limits: text (its USER messages), voice (the transcript is one message) and
 * A/B (each option on its own is the message the user would send).
 */
export function templateLimitViolation(
  limits: TemplateLimits,
  userMessages: readonly string[],
): string | null {
  if (limits.maxMessages !== null && userMessages.length > limits.maxMessages) {
    return `This mission allows at most ${String(limits.maxMessages)} USER messages`;
  }
  const words = limits.wordLimit;
  if (words !== null && userMessages.some((m) => wordCount(m) > words)) {
    return `This mission allows at most ${String(words)} words per message`;
  }
  return null;
}
