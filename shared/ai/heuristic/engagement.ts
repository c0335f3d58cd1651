/** Engagement with the conversation, in points: the weights of W.engagement over ./conversation. */
import { SIMILARITY_NEUTRAL, type Conversation } from './conversation.js';
import { W } from './weights.js';

/** Positive when the reply picks up the partner's line and adds to it; negative when it does not. */
export function engagementOf(c: Conversation): number {
  const E = W.engagement;
  let v: number = E.typical;
  if (c.hasContext) {
    if (c.similarity > 0) v += E.similarity * (c.similarity - SIMILARITY_NEUTRAL);
    v += E.newTopic * Math.min(c.newTopics, E.newTopicCap);
    if (c.echo) v += E.echo;
    // A question about what they just said is interest in them, not a generic prompt.
    if (c.invitation && c.similarity >= SIMILARITY_NEUTRAL) v += E.followUp;
  }
  if (c.answered) v += E.answered;
  else if (c.asked) v += E.questionIgnored;
  if (c.repeats) v += E.repeats;
  v += E.repeatedWord * Math.min(c.repeatedWords, E.repeatedWordCap);
  if (c.disclosure) v += E.disclosure;
  if (c.disclosure && c.invitation) v += E.reciprocity;
  // Past a full turn more words add nothing, and a wall of text earns only half the credit.
  const words = c.wordCount > W.length.longMax ? E.wordCap / 2 : Math.min(c.wordCount, E.wordCap);
  v += E.perWord * words;
  // Specific words over common ones (0.5 is the middle of the 0-1 rarity scale), weighted by how
  // much was said: full weight from four content words, so a one-word reply is not "specific".
  v += E.specificity * (c.specificity - 0.5) * Math.min(1, c.contentCount / 4);
  return v;
}
