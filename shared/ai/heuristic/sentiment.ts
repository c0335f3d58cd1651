/**
 * Sentiment per sentence (wink-nlp's sentence sentiment, negation applied; see ./nlp.ts), with
 * its direction: negativity in a sentence about the reader ("you'll fail") is hostility; warmth
 * about them ("you have great taste") is a compliment. Sympathy ("that sounds awful", "sorry to
 * hear") is not negativity, so a sentence holding an empathy phrase never counts as negative.
 */
import type { NlpSentence } from './nlp.js';
import { countPhrases, makeDoc, type PhraseSet } from './text.js';

/**
 * A sentence counts as positive or negative from ±0.5 of the -1..1 scale: the model gives one
 * mildly coloured word ("like", "want", "fine") up to about ±0.4, which is not warmth or spite.
 */
const POLAR = 0.5;
const YOU_RE = /\b(you|your|you're|youre|you'll|youll|yours|u|ur)\b/;
const SELF_RE = /\b(i|i'm|im|my|me|myself)\b/;

export interface Sentiment {
  /** Positive sentences. */
  positive: number;
  /** Negative sentences not aimed at the reader. */
  negative: number;
  /** Negative sentences aimed at the reader. */
  directed: number;
  /** Positive sentences about the reader. */
  compliments: number;
}

/** `empathy`: the compiled empathy list. */
export function scoreSentiment(sentences: readonly NlpSentence[], empathy: PhraseSet): Sentiment {
  const out: Sentiment = { positive: 0, negative: 0, directed: 0, compliments: 0 };
  for (const { text, sentiment } of sentences) {
    if (sentiment >= POLAR) {
      out.positive += 1;
      if (YOU_RE.test(text)) out.compliments += 1;
    } else if (sentiment <= -POLAR && countPhrases(empathy, makeDoc(text)) === 0) {
      if (YOU_RE.test(text) && !SELF_RE.test(text)) out.directed += 1;
      else out.negative += 1;
    }
  }
  return out;
}
