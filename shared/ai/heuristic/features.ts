/**
 * Lexical feature extraction for one USER message, judged against the AI line before it.
 * Pure counting: the weights that turn counts into traits live in lexicon.ts (W) and traits.ts.
 */
import { LEX } from './lexicon.js';
import { countFillers } from './fillers.js';
import {
  compilePhrases,
  countMatches,
  matchStarts,
  normalize,
  setOf,
  stem,
  tokenize,
} from './text.js';

const RE = {
  hedges: compilePhrases(LEX.hedges),
  empathySorry: compilePhrases(LEX.empathySorry),
  apologies: compilePhrases(LEX.apologies),
  permission: compilePhrases(LEX.permission),
  selfDep: compilePhrases(LEX.selfDeprecation),
  dismissive: compilePhrases(LEX.dismissive),
  deferring: compilePhrases(LEX.deferring),
  negative: compilePhrases(LEX.negative),
  insults: compilePhrases(LEX.insults),
  positive: compilePhrases(LEX.positive),
  empathy: compilePhrases(LEX.empathy),
  idioms: compilePhrases(LEX.neutralIdioms),
  distress: compilePhrases(LEX.distressCues),
  goodNews: compilePhrases(LEX.goodNewsCues),
  tease: compilePhrases(LEX.teaseCues),
  proposals: compilePhrases(LEX.proposals),
  concrete: compilePhrases(LEX.concrete),
  commitments: compilePhrases(LEX.commitments),
  decisive: compilePhrases(LEX.decisive),
  reciprocal: compilePhrases(LEX.reciprocal),
  laughter: compilePhrases(LEX.laughter),
  playful: compilePhrases(LEX.playful),
  exaggeration: compilePhrases(LEX.exaggeration),
  needy: compilePhrases(LEX.needy),
  pressure: compilePhrases(LEX.pressure),
  calm: compilePhrases(LEX.calm),
  profanity: compilePhrases(LEX.profanity),
};
const NEGATORS = setOf(LEX.negators);
const STOPWORDS = setOf(LEX.stopwords);
const LAUGH_WORDS = setOf(LEX.laughter);
const DISMISSIVE_WHOLE = new Set(LEX.dismissiveWhole.map((s) => s.replace(/'/g, '')));
const OPEN_Q = LEX.openQuestionStarts;
const YOU = setOf([
  'you',
  'your',
  "you're",
  "you'll",
  "you've",
  "you'd",
  'u',
  'ur',
  'yours',
  'yourself',
]);
const SELF = setOf(['i', 'me', 'my', "i'm", "i'll", "i've", "i'd", 'mine', 'myself']);
const EMOJI_RE = /\p{Extended_Pictographic}|[:;]-?[)D(P]|<3/gu;
const TIME_RE = /\b\d{1,2}(:\d{2})?\s?(am|pm)\b|\b\d{1,2}:\d{2}\b|\bat \d{1,2}\b/g;
const IMPERATIVE_RE =
  /(^|[.!?]\s*)(tell me|text me|call me|send me|show me|come|try|get|grab|guess|meet|bring|ask|pick)\b/;

/** "you know" used as a filler (not "do you know the host?"). */
const FILLER_YOU_KNOW =
  /(?<!\b(do|did|don't|dont|didn't|if|how|would|let|as|whether|will|could|should|can|what|who) )\byou know(?=\s*([,.!?]|$)|\s+(like|um|uh|so|i|it|what|and|but|yeah|just)\b)/g;
const INVITE_RE =
  /\b(tell me|i want to hear|i'd love to hear|show me|i need a photo|send me a photo|what's the story)\b/;

/** What we know about the AI line a reply answers. */
export interface ContextFeatures {
  words: ReadonlySet<string>;
  /** Stems of its content words, for "did the reply pick up the topic". */
  topicStems: ReadonlySet<string>;
  isQuestion: boolean;
  distress: boolean;
  goodNews: boolean;
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
  const norm = normalize(aiLine);
  const words = tokenize(norm).map((t) => t.word);
  return {
    words: new Set(words),
    topicStems: new Set(words.filter((w) => w.length >= 3 && !STOPWORDS.has(w)).map(stem)),
    isQuestion: norm.includes('?'),
    distress: countMatches(RE.distress, norm) > 0,
    goodNews: countMatches(RE.goodNews, norm) > 0 && !norm.includes('?'),
    tease: countMatches(RE.tease, norm) > 0,
  };
}

export interface Features {
  wordCount: number;
  contentWords: number;
  sentences: number;
  longestSentence: number;
  questionMarks: number;
  openQuestion: boolean;
  reciprocal: number;
  topicOverlap: number;
  callback: boolean;
  fillers: number;
  hedges: number;
  apologies: number;
  permission: number;
  selfDep: number;
  dismissive: number;
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
  exaggeration: number;
  needy: number;
  pressure: number;
  calm: number;
  profanity: number;
  exclaimRun: boolean;
  questionRun: boolean;
  exclamations: number;
  shouting: boolean;
  mirror: boolean;
}

/** Extracts features from `raw` (the message with scorer-directed text already removed). */
export function extractFeatures(raw: string, ctx: ContextFeatures): Features {
  const norm = normalize(raw);
  const tokens = tokenize(norm);
  const words = tokens.map((t) => t.word);
  const content = words.filter((w) => !LAUGH_WORDS.has(w));
  const chunks = (norm.match(/[^.!?\n;]+[.!?\n;]*/g) ?? []).filter((s) => /[\p{L}\p{N}]/u.test(s));
  const sentenceList = chunks.map((c) => c.replace(/[.!?\n;]+$/, '').trim());
  const bare = content.join(' ').replace(/'/g, '');

  // Words inside an empathy phrase ("that sounds awful") or an idiom ("worst case") are not
  // sentiment. Masking keeps offsets, so clause detection still works.
  const mask = (m: string): string => ' '.repeat(m.length);
  const sentiment = scoreSentiment(norm.replace(RE.empathy, mask).replace(RE.idioms, mask));
  const echo = callbackEcho(norm, ctx);
  const hedgeCount = countMatches(RE.hedges, norm) - (echo ? countMatches(RE.hedges, echo) : 0);
  const empathySorry = countMatches(RE.empathySorry, norm);
  const topic = new Set(content.filter((w) => w.length >= 3 && !STOPWORDS.has(w)).map(stem));
  let topicOverlap = 0;
  for (const s of topic) if (ctx.topicStems.has(s)) topicOverlap++;

  return {
    wordCount: words.length,
    contentWords: content.filter((w) => !STOPWORDS.has(w)).length,
    sentences: sentenceList.length,
    longestSentence: Math.max(0, ...sentenceList.map((s) => tokenize(s).length)),
    questionMarks: (norm.match(/\?+/g) ?? []).length,
    openQuestion: chunks.some(isOpenQuestion),
    reciprocal: countMatches(RE.reciprocal, norm),
    topicOverlap,
    callback: echo !== null,
    fillers: countFillers(norm, tokens),
    hedges: Math.max(0, hedgeCount),
    apologies: Math.max(0, countMatches(RE.apologies, norm) - empathySorry),
    permission: countMatches(RE.permission, norm),
    selfDep: countMatches(RE.selfDep, norm),
    dismissive: countMatches(RE.dismissive, norm),
    dismissiveWhole: bare === '' || DISMISSIVE_WHOLE.has(bare),
    deferring: countMatches(RE.deferring, norm),
    negative: sentiment.negative,
    directedNegative: sentiment.directed,
    insults: countMatches(RE.insults, norm),
    positive: sentiment.positive,
    compliments: sentiment.compliments,
    empathy: countMatches(RE.empathy, norm),
    // "you know" as a filler is not attention to the other person.
    you: Math.max(0, words.filter((w) => YOU.has(w)).length - countMatches(FILLER_YOU_KNOW, norm)),
    self: words.filter((w) => SELF.has(w)).length,
    // A question that names a day, time or place ("Saturday at 11 at Blue Bottle?") proposes too.
    proposals: countMatches(RE.proposals, norm) + chunks.filter(isPlanQuestion).length,
    concrete: countMatches(RE.concrete, norm) + countMatches(TIME_RE, norm),
    commitments: countMatches(RE.commitments, norm),
    decisive: countMatches(RE.decisive, norm),
    specifics: countSpecifics(raw, norm),
    imperative: IMPERATIVE_RE.test(norm),
    invitesStory: INVITE_RE.test(norm),
    laughter: countMatches(RE.laughter, norm),
    emoji: countMatches(EMOJI_RE, raw),
    playful: countMatches(RE.playful, norm),
    exaggeration: countMatches(RE.exaggeration, norm),
    needy: countMatches(RE.needy, norm),
    pressure: countMatches(RE.pressure, norm),
    calm: countMatches(RE.calm, norm),
    profanity: countMatches(RE.profanity, norm),
    exclaimRun: /!{2,}/.test(norm),
    questionRun: /\?{2,}|[?!]{3,}/.test(norm),
    exclamations: (norm.match(/!+/g) ?? []).length,
    shouting: isShouting(raw),
    mirror: isMirror(content, ctx),
  };
}

function isPlanQuestion(chunk: string): boolean {
  if (!chunk.includes('?') || countMatches(RE.reciprocal, chunk) > 0) return false;
  return countMatches(RE.concrete, chunk) + countMatches(TIME_RE, chunk) >= 2;
}

/** A question that invites more than yes/no ("what…?", "how…?", "tell me…?"). */
function isOpenQuestion(chunk: string): boolean {
  if (!chunk.includes('?')) return false;
  const s = chunk.replace(/^[^\p{L}]+/u, '');
  return OPEN_Q.some((q) => s.startsWith(`${q} `) || s.startsWith(`${q}'`));
}

/** Positive/negative words with negation flips, and negativity aimed at "you" in the same clause. */
function scoreSentiment(norm: string): {
  positive: number;
  negative: number;
  directed: number;
  compliments: number;
} {
  let positive = 0;
  let compliments = 0;
  let negative = 0;
  let directed = 0;
  const negated = (at: number): boolean => {
    const before = norm.slice(Math.max(0, at - 18), at).match(/[\p{L}']+/gu) ?? [];
    return before.slice(-2).some((w) => NEGATORS.has(w));
  };
  // Aimed at the reader: "you" in the same sentence, unless the word is about oneself ("my terrible puns").
  const aimedAtYou = (at: number): boolean => {
    const before = norm.slice(Math.max(0, at - 14), at).match(/[\p{L}']+/gu) ?? [];
    if (before.slice(-2).some((w) => SELF.has(w))) return false;
    const startCut = norm.slice(0, at).search(/[.;!?][^.;!?]*$/);
    const endRel = norm.slice(at).search(/[.;!?]/);
    const sentence = norm.slice(Math.max(0, startCut), endRel < 0 ? norm.length : at + endRel);
    return /\b(you|your|you're|youre|you'll|u|ur)\b/.test(sentence);
  };
  for (const at of matchStarts(RE.negative, norm)) {
    if (negated(at)) positive += 0.5;
    else if (aimedAtYou(at)) directed++;
    else negative++;
  }
  for (const at of matchStarts(RE.positive, norm)) {
    if (negated(at)) negative++;
    else {
      positive++;
      if (aimedAtYou(at)) compliments++;
    }
  }
  return { positive, negative, directed, compliments };
}

/**
 * A short opening question that echoes the persona's own words ("Kind of?" after "you're kind of
 * funny") is a playful callback. Returns the echoed fragment so its words are not judged as hedges.
 */
function callbackEcho(norm: string, ctx: ContextFeatures): string | null {
  const m = /^\s*([\p{L}' ]{2,30})\?/u.exec(norm);
  const frag = m?.[1];
  if (frag === undefined) return null;
  const words = frag.trim().split(/\s+/);
  if (words.length > 3 || !words.every((w) => ctx.words.has(w))) return null;
  return frag;
}

/** Names, places, numbers and reasons: capitalised words mid-sentence, digits, "because". */
function countSpecifics(raw: string, norm: string): number {
  let n = 0;
  const re = /(?<=[\p{L},] )([A-Z][\p{Ll}'’]+)/gu;
  for (const m of raw.matchAll(re)) if (!/^I('|’|$)/.test(m[1] ?? '')) n++;
  n += (norm.match(/\b\d+/g) ?? []).length;
  n += (norm.match(/\b(because|since|which means|so that|for example)\b/g) ?? []).length;
  return n;
}

function isShouting(raw: string): boolean {
  const letters = raw.replace(/[^\p{L}]/gu, '');
  if (letters.length < 6) return false;
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  return upper / letters.length > 0.7;
}

/** Echoing the persona's whole line back ("hi" to "Hi"). */
function isMirror(content: readonly string[], ctx: ContextFeatures): boolean {
  if (content.length === 0 || content.length > 3 || ctx.words.size === 0) return false;
  return content.every((w) => ctx.words.has(w));
}
