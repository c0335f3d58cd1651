/**
 * Lexical feature extraction for one USER message, judged against the AI line before it.
 * Pure counting: the weights that turn counts into traits live in lexicon.ts (W) and traits.ts.
 */
import type { ContextFeatures } from './context.js';
import { countFillers } from './fillers.js';
import { LEX } from './lexicon.js';
import { scoreSentiment } from './sentiment.js';
import type { Utterance } from './utterance.js';
import {
  compilePhrases,
  countMatches,
  countPhrases,
  findPhrases,
  keySet,
  makeDoc,
  type Doc,
  type PhraseSet,
} from './text.js';

const L = {
  hedges: compilePhrases(LEX.hedges),
  empathySorry: compilePhrases(LEX.empathySorry),
  apologies: compilePhrases(LEX.apologies),
  permission: compilePhrases(LEX.permission),
  selfDep: compilePhrases(LEX.selfDeprecation),
  dismissive: compilePhrases(LEX.dismissive),
  deferring: compilePhrases(LEX.deferring),
  insults: compilePhrases(LEX.insults),
  blame: compilePhrases(LEX.blame),
  empathy: compilePhrases(LEX.empathy),
  proposals: compilePhrases(LEX.proposals),
  concrete: compilePhrases(LEX.concrete),
  commitments: compilePhrases(LEX.commitments),
  decisive: compilePhrases(LEX.decisive),
  reciprocal: compilePhrases(LEX.reciprocal),
  laughter: compilePhrases(LEX.laughter),
  playful: compilePhrases(LEX.playful),
  needy: compilePhrases(LEX.needy),
  pressure: compilePhrases(LEX.pressure),
  calm: compilePhrases(LEX.calm),
  profanity: compilePhrases(LEX.profanity),
};
const LAUGH_WORDS = keySet(LEX.laughter);
const DISMISSIVE_WHOLE = keySet(LEX.dismissiveWhole);
const OPEN_Q = LEX.openQuestionStarts;
// prettier-ignore
const YOU = keySet(['you', 'your', "you're", "you'll", "you've", "you'd", 'u', 'ur', 'yours', 'yourself']);
const SELF = keySet(['i', 'me', 'my', "i'm", "i'll", "i've", "i'd", 'mine', 'myself']);
const EMOJI_RE = /\p{Extended_Pictographic}|[:;]-?[)D(P]|<3/gu;
const TIME_RE = /\b\d{1,2}(:\d{2})?\s?(am|pm)\b|\b\d{1,2}:\d{2}\b|\bat \d{1,2}\b/g;
const IMPERATIVE_RE =
  /(^|[.!?]\s*)((now|so|ok|okay|and|then) )?(tell me|text me|call me|send me|show me|come|try|get|grab|guess|meet|bring|ask|pick)\b/;
const INVITE_RE =
  /\b(tell me|i want to hear|i'd love to hear|show me|i need a photo|send me a photo|what's the story)\b/;
/** "you know" used as a filler (not "do you know my cousin?"). */
const FILLER_YOU_KNOW =
  /(?<!\b(do|did|don't|dont|didn't|if|how|would|let|as|whether|will|could|should|can|what|who) )\byou know(?=\s*([,.!?]|$)|\s+(like|um|uh|so|i|it|what|and|but|yeah|just)\b)/g;

export interface Features {
  wordCount: number;
  /** Content words (nouns, verbs, adjectives, adverbs, numbers; not stop words), per wink-nlp. */
  contentWords: number;
  sentences: number;
  longestSentence: number;
  questionMarks: number;
  openQuestion: boolean;
  reciprocal: number;
  /** Topical lemmas shared with the persona's line. */
  topicOverlap: number;
  /** Opens by echoing the persona's words as a question ("Kind of?"). */
  callback: boolean;
  fillers: number;
  hedges: number;
  apologies: number;
  permission: number;
  selfDep: number;
  dismissive: number;
  /** The whole reply is a stock brush-off ("ok", "cool", "idk"). */
  dismissiveWhole: boolean;
  deferring: number;
  negative: number;
  directedNegative: number;
  insults: number;
  positive: number;
  /** Positive words about the reader ("you have great taste"). */
  compliments: number;
  empathy: number;
  you: number;
  self: number;
  proposals: number;
  concrete: number;
  commitments: number;
  decisive: number;
  specifics: number;
  imperative: boolean;
  /** Asks them to share without a question mark ("tell me about…"). */
  invitesStory: boolean;
  laughter: number;
  emoji: number;
  playful: number;
  needy: number;
  pressure: number;
  /** The words that showed neediness or pressure, quoted back in feedback; null when none. */
  needyEvidence: string | null;
  pressureEvidence: string | null;
  calm: number;
  profanity: number;
  exclaimRun: boolean;
  questionRun: boolean;
  exclamations: number;
  shouting: boolean;
  mirror: boolean;
}

/**
 * Extracts features from `raw` (the message with scorer-directed text already removed); `utt` is
 * the same text read by ./utterance.ts.
 */
export function extractFeatures(
  raw: string,
  utt: Utterance,
  ctx: ContextFeatures,
  given?: Doc,
): Features {
  const doc = given ?? makeDoc(raw);
  const { text } = doc;
  const keys = doc.tokens.map((t) => t.key);
  const content = keys.filter((k) => !LAUGH_WORDS.has(k));
  const chunks = (text.match(/[^.!?\n;]+[.!?\n;]*/g) ?? []).filter((s) => /[\p{L}\p{N}]/u.test(s));
  const count = (set: PhraseSet): number => countPhrases(set, doc);
  const sentiment = scoreSentiment(utt.sentences, L.empathy);
  const echo = callbackEcho(doc, ctx);
  let topicOverlap = 0;
  for (const t of utt.topics) if (ctx.line?.topics.has(t) === true) topicOverlap++;
  const concrete = findPhrases(L.concrete, doc).map((m) => m.start);
  for (const m of text.matchAll(TIME_RE)) concrete.push(m.index);
  const reciprocalAt = findPhrases(L.reciprocal, doc).map((m) => m.start);

  return {
    wordCount: keys.length,
    contentWords: utt.contentCount,
    sentences: chunks.length,
    longestSentence: chunks.reduce((max, c) => Math.max(max, c.split(/\s+/).length), 0),
    questionMarks: (text.match(/\?+/g) ?? []).length,
    openQuestion: chunks.some(isOpenQuestion),
    reciprocal: reciprocalAt.length,
    topicOverlap,
    callback: echo.callback,
    fillers: countFillers(doc),
    hedges: Math.max(0, count(L.hedges) - echo.hedges),
    // After bad news, one "I'm sorry" is sympathy rather than an apology.
    apologies: Math.max(0, count(L.apologies) - count(L.empathySorry) - (ctx.distress ? 1 : 0)),
    permission: count(L.permission),
    selfDep: count(L.selfDep),
    dismissive: count(L.dismissive),
    dismissiveWhole: content.length === 0 || DISMISSIVE_WHOLE.has(content.join(' ')),
    deferring: count(L.deferring),
    negative: sentiment.negative,
    directedNegative: sentiment.directed,
    insults: count(L.insults) + (ctx.distress ? count(L.blame) : 0),
    positive: sentiment.positive,
    compliments: sentiment.compliments,
    empathy: count(L.empathy),
    // "you know" as a filler is not attention to the other person.
    you: Math.max(0, keys.filter((k) => YOU.has(k)).length - countMatches(FILLER_YOU_KNOW, text)),
    self: keys.filter((k) => SELF.has(k)).length,
    // A question that names two of day/time/place ("Sunday at 10 at the bakery?") proposes too.
    proposals: count(L.proposals) + planQuestions(text, chunks, concrete, reciprocalAt),
    concrete: concrete.length,
    commitments: count(L.commitments),
    decisive: count(L.decisive),
    specifics: countSpecifics(raw, text),
    imperative: IMPERATIVE_RE.test(text),
    invitesStory: INVITE_RE.test(text),
    laughter: count(L.laughter),
    emoji: countMatches(EMOJI_RE, raw),
    playful: count(L.playful),
    needy: count(L.needy),
    pressure: count(L.pressure),
    needyEvidence: firstMatch(L.needy, doc),
    pressureEvidence: firstMatch(L.pressure, doc),
    calm: count(L.calm),
    profanity: count(L.profanity),
    // "!!" is enthusiasm; three or more in a row start to read as pressure.
    exclaimRun: /!{3,}/.test(text),
    questionRun: /\?{2,}|[?!]{3,}/.test(text),
    exclamations: (text.match(/!+/g) ?? []).length,
    shouting: isShouting(raw),
    mirror: content.length > 0 && content.length <= 3 && content.every((k) => ctx.words.has(k)),
  };
}

/** A question that invites more than yes/no ("what…?", "how…?", "tell me…?"). */
function isOpenQuestion(chunk: string): boolean {
  if (!chunk.includes('?')) return false;
  const s = chunk.replace(/^[^\p{L}]+/u, '');
  return OPEN_Q.some((q) => s.startsWith(`${q} `) || s.startsWith(`${q}'`));
}

/** Questions naming two of day/time/place, not handing the turn back ("…? You?"). */
function planQuestions(text: string, chunks: string[], concrete: number[], recip: number[]) {
  let plans = 0;
  let from = 0;
  for (const chunk of chunks) {
    const start = text.indexOf(chunk, from);
    const end = start + chunk.length;
    from = end;
    if (!chunk.includes('?') || recip.some((at) => at >= start && at < end)) continue;
    let inside = 0;
    for (const at of concrete) if (at >= start && at < end) inside++;
    if (inside >= 2) plans++;
  }
  return plans;
}

/**
 * A short opening question that echoes the persona's own words ("Kind of?" after "you're kind of
 * funny") is a playful callback; hedges inside the echo are theirs, not the user's.
 */
function callbackEcho(doc: Doc, ctx: ContextFeatures): { callback: boolean; hedges: number } {
  const frag = /^\s*([\p{L}' ]{2,30})\?/u.exec(doc.text)?.[1];
  if (frag === undefined) return { callback: false, hedges: 0 };
  const words = frag.trim().replace(/'/g, '').split(/\s+/);
  if (words.length > 3 || !words.every((w) => ctx.words.has(w))) {
    return { callback: false, hedges: 0 };
  }
  return { callback: true, hedges: countPhrases(L.hedges, makeDoc(frag)) };
}

/** Names, places, numbers and reasons: capitalised words mid-sentence, digits, "because". */
function countSpecifics(raw: string, text: string): number {
  let n = 0;
  for (const m of raw.matchAll(/(?<=[\p{L},] )([A-Z][\p{Ll}'’]+)/gu)) {
    if (!/^I('|’|$)/.test(m[1] ?? '')) n++;
  }
  n += (text.match(/\b\d+/g) ?? []).length;
  n += (text.match(/\b(because|since|which means|so that|for example)\b/g) ?? []).length;
  return n;
}

/** Mostly capital letters over at least six letters. */
function isShouting(raw: string): boolean {
  let letters = 0;
  let upper = 0;
  for (const ch of raw) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo === up) continue;
    letters++;
    if (ch === up) upper++;
  }
  return letters >= 6 && upper / letters > 0.7;
}

function firstMatch(set: PhraseSet, doc: Doc): string | null {
  const m = findPhrases(set, doc)[0];
  return m === undefined ? null : doc.text.slice(m.start, m.end);
}
