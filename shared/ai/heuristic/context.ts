/** What the heuristic knows about the AI line a reply answers. */
import { LEX } from './lexicon.js';
import { compilePhrases, countPhrases, keySet, makeDoc, stem } from './text.js';

const DISTRESS = compilePhrases(LEX.distressCues);
const GOOD_NEWS = compilePhrases(LEX.goodNewsCues);
const TEASE = compilePhrases(LEX.teaseCues);
export const STOPWORDS = keySet(LEX.stopwords);

export interface ContextFeatures {
  /** Token keys of the line. */
  words: ReadonlySet<string>;
  /** Stems of its content words, for "did the reply pick up the topic". */
  topicStems: ReadonlySet<string>;
  isQuestion: boolean;
  /** The persona shared something hard (rough day, nerves, cancelled plans…). */
  distress: boolean;
  /** The persona shared good news (and did not ask a question). */
  goodNews: boolean;
  /** The persona teased or challenged. */
  tease: boolean;
}

export const NO_CONTEXT: ContextFeatures = {
  words: new Set(),
  topicStems: new Set(),
  isQuestion: false,
  distress: false,
  goodNews: false,
  tease: false,
};

export function contextFeatures(aiLine: string | null): ContextFeatures {
  if (aiLine === null || aiLine.trim() === '') return NO_CONTEXT;
  const doc = makeDoc(aiLine);
  const keys = doc.tokens.map((t) => t.key);
  const isQuestion = doc.text.includes('?');
  return {
    words: new Set(keys),
    topicStems: new Set(keys.filter((k) => k.length >= 3 && !STOPWORDS.has(k)).map(stem)),
    isQuestion,
    distress: countPhrases(DISTRESS, doc) > 0,
    goodNews: countPhrases(GOOD_NEWS, doc) > 0 && !isQuestion,
    tease: countPhrases(TEASE, doc) > 0,
  };
}
