/**
 * Sentiment with negation ("not bad", "not that special") and direction: negativity aimed at the
 * reader ("you'll fail") is hostility; positive words about them ("you have great taste") are
 * compliments. Words inside empathy phrases or idioms ("that sounds awful", "worst case") are
 * not sentiment.
 */
import { LEX } from './lexicon.js';
import { compilePhrases, findPhrases, keySet, type Doc, type PhraseSet } from './text.js';

const NEGATIVE = compilePhrases(LEX.negative);
const POSITIVE = compilePhrases(LEX.positive);
const IDIOMS = compilePhrases(LEX.neutralIdioms);
const NEGATORS = keySet(LEX.negators);
const SELF = keySet(['i', 'me', 'my', "i'm", "i'll", "i've", "i'd", 'mine', 'myself']);
const YOU_RE = /\b(you|your|you're|youre|you'll|youll|u|ur)\b/;

export interface Sentiment {
  positive: number;
  negative: number;
  /** Negative words aimed at the reader. */
  directed: number;
  /** Positive words about the reader. */
  compliments: number;
}

/** `empathy`: the compiled empathy list, whose matches are masked like idioms. */
export function scoreSentiment(doc: Doc, empathy: PhraseSet): Sentiment {
  const masked = new Set<number>();
  for (const m of [...findPhrases(empathy, doc), ...findPhrases(IDIOMS, doc)]) {
    for (let k = 0; k < m.length; k++) masked.add(m.token + k);
  }
  const key = (i: number): string => doc.tokens[i]?.key ?? '';
  const negated = (i: number): boolean => NEGATORS.has(key(i - 1)) || NEGATORS.has(key(i - 2));
  // Aimed at the reader: "you" in the same sentence, unless the word is about oneself ("my puns").
  const aimedAtYou = (i: number): boolean => {
    if (SELF.has(key(i - 1)) || SELF.has(key(i - 2))) return false;
    const at = doc.tokens[i]?.start ?? 0;
    const from = Math.max(0, doc.text.slice(0, at).search(/[.;!?][^.;!?]*$/));
    const endRel = doc.text.slice(at).search(/[.;!?]/);
    return YOU_RE.test(doc.text.slice(from, endRel < 0 ? doc.text.length : at + endRel));
  };
  const out: Sentiment = { positive: 0, negative: 0, directed: 0, compliments: 0 };
  for (const m of findPhrases(NEGATIVE, doc)) {
    if (masked.has(m.token)) continue;
    if (negated(m.token)) out.positive += 0.5;
    else if (aimedAtYou(m.token)) out.directed++;
    else out.negative++;
  }
  for (const m of findPhrases(POSITIVE, doc)) {
    if (masked.has(m.token)) continue;
    if (negated(m.token)) out.negative++;
    else {
      out.positive++;
      if (aimedAtYou(m.token)) out.compliments++;
    }
  }
  return out;
}
