/**
 * One message read once with wink-nlp: content lemmas, a meaning vector and its question, for
 * reading a reply against the line it answers (./conversation.ts).
 */
import { readNlp, type NlpSentence, type NlpToken } from './nlp.js';
import { VECTOR_DIMENSIONS, wordVectors } from './vectors.js';

/** Parts of speech that carry content (what a message is about). */
const CONTENT_POS = new Set(['NOUN', 'PROPN', 'VERB', 'ADJ', 'ADV', 'NUM']);
/**
 * Words this frequent (rank in the vectors' frequency list) carry little meaning ("get", "good",
 * "time"): they count as content only for length, not for topic. 300 is about where English
 * function-like words give way to topical ones.
 */
const COMMON_RANK = 300;
/**
 * Smooth-inverse-frequency weight rank/(rank + SIF_RANK): a word of rank 1000 weighs 0.5, rare
 * words ~1, so a sentence vector leans on its topical words (Arora et al. 2017, in rank form).
 */
const SIF_RANK = 1000;

export interface Utterance {
  text: string;
  tokens: NlpToken[];
  sentences: NlpSentence[];
  /** Word tokens (no punctuation, emoji or numbers-as-symbols). */
  words: string[];
  /** Distinct content lemmas, common words excluded. */
  topics: ReadonlySet<string>;
  /** Content words with any frequency, for effort. */
  contentCount: number;
  /** Mean specificity of the content words, 0 (all common) to 1 (all rare); 0 when none. */
  specificity: number;
  /** SIF-weighted mean of unit word vectors of the content words; null when none is known. */
  vector: Float32Array | null;
  question: boolean;
}

const LETTER_RE = /\p{L}/u;

/** `sentiment: false` for lines whose sentiment is not read (the partner's). */
export function readUtterance(text: string, sentiment = true): Utterance {
  const { tokens, sentences } = readNlp(text, sentiment);
  const vectors = wordVectors();
  const vector = new Float32Array(VECTOR_DIMENSIONS);
  let known = 0;
  let contentCount = 0;
  let specificity = 0;
  const topics = new Set<string>();
  const words: string[] = [];
  for (const t of tokens) {
    if (t.type !== 'word' || !LETTER_RE.test(t.word)) continue;
    words.push(t.word);
    if (t.stop || !CONTENT_POS.has(t.pos)) continue;
    contentCount++;
    const rank = vectors.rank(t.word) ?? vectors.rank(t.lemma);
    // Unknown words are usually names or typos: specific, but without a vector.
    const r = rank ?? vectors.size;
    specificity += Math.min(1, Math.log(r) / Math.log(vectors.size));
    if (r > COMMON_RANK) topics.add(t.lemma);
    const weight = r / (r + SIF_RANK);
    if (vectors.addTo(vector, t.word, weight) || vectors.addTo(vector, t.lemma, weight)) known++;
  }
  return {
    text,
    tokens,
    sentences,
    words,
    topics,
    contentCount,
    specificity: contentCount === 0 ? 0 : specificity / contentCount,
    vector: known === 0 ? null : vector,
    question: text.includes('?'),
  };
}
