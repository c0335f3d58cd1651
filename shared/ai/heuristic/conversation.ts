/**
 * Reading a reply against what came before it: is it about what the partner just said (shared
 * topics, meaning similarity from word vectors), does it answer a question that was asked, does
 * it add something of the user's own and hand the turn back, or does it parrot the partner,
 * repeat itself or say something that would fit any conversation?
 */
import type { ContextFeatures } from './context.js';
import type { Utterance } from './utterance.js';
import { cosine } from './vectors.js';

/**
 * Similarities of unrelated chat lines sit around 0.3-0.45 with these vectors, and replies that
 * pick the line up around 0.6-0.8; 0.5 is the neutral point of the relevance scale.
 */
export const SIMILARITY_NEUTRAL = 0.5;
/**
 * Below this similarity, with no shared topic, the reply is about something else. Low on
 * purpose: short questions carry few content words ("where did you grow up?"), so genuine
 * answers can sit near 0.3; only clear misses go under 0.2. It drives feedback, not the score.
 */
const OFF_TOPIC = 0.2;
/** Copying this many consecutive words of the partner's line is parroting, not building on it. */
const ECHO_RUN = 5;
/** Three repeated words in a row inside one reply ("i like red. i like red.") read as a glitch. */
const SELF_RUN = 3;
const SELF_WORDS = new Set(['i', "i'm", 'im', 'my', 'me', "i've", "i'd", "i'll", 'myself', 'mine']);
const YES_NO = new Set(['yes', 'yeah', 'yep', 'yup', 'no', 'nope', 'nah', 'sure', 'definitely']);

export interface Conversation {
  /** There was a partner line to read the reply against. */
  hasContext: boolean;
  /** Cosine similarity of meaning vectors, 0 when unknown. */
  similarity: number;
  /** Topical lemmas shared with the partner's line. */
  sharedTopics: number;
  /** Topical lemmas the reply brings that the partner's line did not have (what it adds). */
  newTopics: number;
  /** The partner's line asked a question. */
  asked: boolean;
  /** The partner asked and the reply answers with a statement (not only a question back). */
  answered: boolean;
  /** The reply is about something else (low similarity, no shared topic, no answer). */
  changedSubject: boolean;
  /** Copies a run of the partner's words. */
  echo: boolean;
  /** Repeats itself inside the message, or repeats an earlier message of the user verbatim. */
  repeats: boolean;
  /** Topical words said twice in the same short reply ("i like red. red is my color"). */
  repeatedWords: number;
  /** Says something of the user's own (first person with content). */
  disclosure: boolean;
  /** Invites the partner to go on (a question). */
  invitation: boolean;
  /** Mean rarity of its content words, 0-1 (./utterance.ts). */
  specificity: number;
  contentCount: number;
  wordCount: number;
}

/** `earlier`: the user's earlier messages in the session, normalised. */
export function readConversation(
  reply: Utterance,
  ctx: ContextFeatures,
  earlier: readonly string[],
): Conversation {
  const line = ctx.line;
  const similarity = line?.vector && reply.vector ? cosine(line.vector, reply.vector) : 0;
  let sharedTopics = 0;
  if (line !== null) for (const t of reply.topics) if (line.topics.has(t)) sharedTopics++;
  const statement = hasStatement(reply);
  // Any statement after a question answers it, unless it is clearly about something else.
  const elsewhere = reply.vector !== null && similarity < OFF_TOPIC && sharedTopics === 0;
  const answered = ctx.isQuestion && (startsYesNo(reply) || (statement && !elsewhere));
  const key = reply.words.join(' ');
  return {
    hasContext: line !== null,
    similarity,
    sharedTopics,
    newTopics: reply.topics.size - sharedTopics,
    asked: ctx.isQuestion,
    answered,
    // A question to them is engagement, not a change of subject (similarity of short lines is
    // too noisy to say otherwise): only statements that are clearly elsewhere count.
    changedSubject: elsewhere && !reply.question && reply.contentCount >= 3 && !answered,
    echo: line !== null && longestSharedRun(reply.words, line.words) >= ECHO_RUN,
    repeats: longestSelfRepeat(reply.words) >= SELF_RUN || (key !== '' && earlier.includes(key)),
    repeatedWords: repeatedTopics(reply),
    disclosure: reply.words.some((w) => SELF_WORDS.has(w)) && reply.contentCount >= 2,
    invitation: reply.question,
    specificity: reply.specificity,
    contentCount: reply.contentCount,
    wordCount: reply.words.length,
  };
}

/** A sentence that is not a question and has at least two words. */
function hasStatement(u: Utterance): boolean {
  const sentences = u.text.match(/[^.!?]+[.!?]*/g) ?? [];
  return sentences.some((s) => !s.includes('?') && (s.match(/\p{L}+/gu)?.length ?? 0) >= 2);
}

function startsYesNo(u: Utterance): boolean {
  return YES_NO.has(u.words[0] ?? '');
}

/** Longest run of consecutive words that appears in both. */
function longestSharedRun(a: readonly string[], b: readonly string[]): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && a[i + k] === b[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

/** Longest run of words that occurs twice, without overlap, in the same message. */
function longestSelfRepeat(w: readonly string[]): number {
  let best = 0;
  for (let i = 0; i < w.length; i++) {
    for (let j = i + 1; j < w.length; j++) {
      let k = 0;
      while (j + k < w.length && i + k < j && w[i + k] === w[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

/** Topical lemmas used more than once; long messages may return to a word, so only under 25 words. */
function repeatedTopics(u: Utterance): number {
  if (u.words.length >= 25) return 0;
  const seen = new Set<string>();
  let repeated = 0;
  for (const t of u.tokens) {
    if (!u.topics.has(t.lemma)) continue;
    if (seen.has(t.lemma)) repeated++;
    seen.add(t.lemma);
  }
  return repeated;
}
