/**
 * One message read once with wink-nlp: content lemmas, a meaning vector and its question, for
 * reading a reply against the line it answers (./conversation.ts).
 */
import { readNlp, type NlpSentence, type NlpToken } from './nlp.js';
import { stem, type Token } from './text.js';
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
  /** Distinct content words (light-stemmed, ./text.ts), common words excluded. */
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

/** A USER message, read with wink-nlp (the partner's line uses the lighter readLine below). */
export function readUtterance(text: string): Utterance {
  const { tokens, sentences } = readNlp(text);
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
    if (r > COMMON_RANK) topics.add(stem(t.word));
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

/**
 * The 60 most frequent entries of the vectors' list are function words (articles, pronouns,
 * auxiliaries); the partner's line is read without a tagger, so rank stands in for POS there.
 * (Dropping the model's full stop-word list instead measured 0.01-0.02 worse on both files.)
 */
const FUNCTION_RANK = 60;

/**
 * The partner's line, read from our own tokens without wink-nlp: only its topics and meaning
 * vector are used, and skipping the tagger there saves a fifth of a session's scoring time.
 */
export function readLine(text: string, tokens: readonly Token[]): Utterance {
  const vectors = wordVectors();
  const vector = new Float32Array(VECTOR_DIMENSIONS);
  let known = 0;
  let contentCount = 0;
  const topics = new Set<string>();
  const words: string[] = [];
  for (const t of tokens) {
    if (!LETTER_RE.test(t.word)) continue;
    words.push(t.word);
    const r = vectors.rank(t.word) ?? vectors.size;
    if (r <= FUNCTION_RANK) continue;
    contentCount++;
    if (r > COMMON_RANK) topics.add(stem(t.word));
    if (vectors.addTo(vector, t.word, r / (r + SIF_RANK))) known++;
  }
  return {
    text,
    tokens: [],
    sentences: [],
    words,
    topics,
    contentCount,
    specificity: 0,
    vector: known === 0 ? null : vector,
    question: text.includes('?'),
  };
}
