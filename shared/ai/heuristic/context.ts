/** What the heuristic knows about the AI line a reply answers. */
import { LEX } from './lexicon.js';
import { compilePhrases, countPhrases, makeDoc } from './text.js';
import { readLine, type Utterance } from './utterance.js';

const DISTRESS = compilePhrases(LEX.distressCues);
const GOOD_NEWS = compilePhrases(LEX.goodNewsCues);
const TEASE = compilePhrases(LEX.teaseCues);

export interface ContextFeatures {
  /** The line read with wink-nlp and word vectors; null when there is no line. */
  line: Utterance | null;
  /** Token keys of the line. */
  words: ReadonlySet<string>;
  isQuestion: boolean;
  /** The persona shared something hard (rough day, nerves, cancelled plans…). */
  distress: boolean;
  /** The persona shared good news (and did not ask a question). */
  goodNews: boolean;
  /** The persona teased or challenged. */
  tease: boolean;
}

export const NO_CONTEXT: ContextFeatures = {
  line: null,
  words: new Set(),
  isQuestion: false,
  distress: false,
  goodNews: false,
  tease: false,
};

export function contextFeatures(aiLine: string | null): ContextFeatures {
  if (aiLine === null || aiLine.trim() === '') return NO_CONTEXT;
  const doc = makeDoc(aiLine);
  const isQuestion = doc.text.includes('?');
  return {
    line: readLine(doc.text, doc.tokens),
    words: new Set(doc.tokens.map((t) => t.key)),
    isQuestion,
    distress: countPhrases(DISTRESS, doc) > 0,
    goodNews: countPhrases(GOOD_NEWS, doc) > 0 && !isQuestion,
    tease: countPhrases(TEASE, doc) > 0,
  };
}
