/**
 * English tokens with lemma, part of speech and stop-word flags, and sentence sentiment, from
 * wink-nlp and its light English model (MIT). The model loads once per process, on first use
 * (~120 ms).
 *
 * Sentiment is the model's sentence sentiment: a rated lexicon of words, emoticons and emoji
 * with negation ("not bad" is positive) and intensifiers. VADER (`vader-sentiment`) was measured
 * first: 0.13 ms per message, a third of the 5 ms session budget on its own; this adds ~0.02 ms.
 */
/* eslint-disable @typescript-eslint/unbound-method -- wink's its.* helpers are plain functions that never use `this` */
import winkNLP, { type ItsFunction } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

export interface NlpToken {
  /** Lower-cased surface form. */
  word: string;
  lemma: string;
  /** Universal POS tag (NOUN, VERB, PRON, PUNCT…). */
  pos: string;
  stop: boolean;
  /** 'word' | 'number' | 'punctuation' | 'emoji' | 'emoticon' | … */
  type: string;
}

export interface NlpSentence {
  text: string;
  /** -1 (negative) to 1 (positive), negation applied. */
  sentiment: number;
}

export interface NlpReading {
  tokens: NlpToken[];
  sentences: NlpSentence[];
}

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | null = null;

/** Only what we read: sentences, negation (for sentiment), POS (lemmas need it), sentiment. */
const PIPE = ['sbd', 'negation', 'pos', 'sentiment'];

export function readNlp(text: string): NlpReading {
  nlp ??= winkNLP(model, PIPE);
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const tokens = doc.tokens();
  const words = tokens.out(its.normal);
  // wink-nlp's published type for its.lemma (extra addons argument) does not fit out()'s.
  const lemmas = tokens.out(its.lemma as unknown as ItsFunction<string>);
  const pos = tokens.out(its.pos);
  const stop = tokens.out(its.stopWordFlag);
  const type = tokens.out(its.type);
  const sentenceTexts = doc.sentences().out();
  const sentiments = doc.sentences().out(its.sentiment);
  return {
    tokens: words.map((word, i) => ({
      word,
      lemma: (lemmas[i] ?? word).toLowerCase(),
      pos: pos[i] ?? 'X',
      stop: stop[i] === true,
      type: type[i] ?? 'word',
    })),
    sentences: sentenceTexts.map((s, i) => ({ text: s, sentiment: Number(sentiments[i] ?? 0) })),
  };
}
