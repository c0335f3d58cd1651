/**
 * Filler detection with context. "um"/"uh" always count; "like" counts only when it is not a verb
 * ("I like jazz") or a preposition ("looks like rain"); "you know" and "i mean" count when they
 * are parenthetical rather than part of the sentence ("do you know the host?", "I mean it").
 */
import { LEX } from './lexicon.js';
import { setOf, type Token } from './text.js';

const ALWAYS = setOf(LEX.fillers);
const VERB_BEFORE = setOf(LEX.likeVerbBefore);
const PREP_BEFORE = setOf(LEX.likePrepBefore);
const BE_FORMS = setOf([
  'was',
  'is',
  'am',
  "i'm",
  'are',
  'were',
  "it's",
  "he's",
  "she's",
  "that's",
  'be',
  'been',
  "you're",
  "we're",
  "they're",
]);
const COMPARISON_NEXT = setOf([
  'a',
  'an',
  'the',
  'that',
  'this',
  'it',
  'my',
  'your',
  'his',
  'her',
  'their',
  'our',
  'being',
  'when',
  'me',
  'him',
  'them',
  'you',
]);
const LIKE_FILLER_PREV = setOf([
  'so',
  'and',
  'but',
  'know',
  'um',
  'uh',
  'or',
  'was',
  'just',
  'yeah',
  'oh',
]);
const KNOW_VERB_PREV = setOf([
  'do',
  'did',
  "don't",
  "didn't",
  'if',
  'how',
  'would',
  'let',
  'as',
  'whether',
  'since',
  'will',
  'you',
  'could',
  'should',
  'might',
  'may',
  'to',
  'can',
  'what',
  'who',
  'ya',
]);
const KNOW_FILLER_NEXT = setOf([
  'like',
  'um',
  'uh',
  'so',
  'i',
  'it',
  'what',
  'and',
  'but',
  'yeah',
  'just',
]);
const MEAN_VERB_NEXT = setOf(['it', 'that', 'this', 'to', 'you', 'what', 'business', 'well']);

/** Counts fillers in `text` (normalised) given its tokens. */
export function countFillers(text: string, tokens: readonly Token[]): number {
  let count = 0;
  const punctAfter = (t: Token): string => /^\s*([,.;!?…-])?/.exec(text.slice(t.end))?.[1] ?? '';
  const punctBefore = (t: Token): string =>
    /([,.;!?…-])?\s*$/.exec(text.slice(Math.max(0, t.start - 3), t.start))?.[1] ?? '';
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok === undefined) continue;
    const prevTok = tokens[i - 1];
    const nextTok = tokens[i + 1];
    const prev = prevTok?.word ?? '';
    const next = nextTok?.word ?? '';
    const clauseStart = prevTok === undefined || punctBefore(tok) !== '';
    if (ALWAYS.has(tok.word)) {
      count++;
    } else if (tok.word === 'like') {
      if (isLikeFiller(prev, next, clauseStart, punctAfter(tok) === ',')) count++;
    } else if (tok.word === 'know' && prev === 'you' && prevTok !== undefined) {
      const before = tokens[i - 2]?.word ?? '';
      const after = punctAfter(tok);
      const parenthetical = after !== '' || nextTok === undefined || KNOW_FILLER_NEXT.has(next);
      if (parenthetical && !KNOW_VERB_PREV.has(before)) count++;
    } else if (tok.word === 'mean' && prev === 'i' && prevTok !== undefined) {
      const iStart = i < 2 || punctBefore(prevTok) !== '';
      if (iStart && (punctAfter(tok) === ',' || !MEAN_VERB_NEXT.has(next))) count++;
    }
  }
  return count;
}

function isLikeFiller(
  prev: string,
  next: string,
  clauseStart: boolean,
  commaAfter: boolean,
): boolean {
  if (VERB_BEFORE.has(prev)) return false;
  if (commaAfter || clauseStart) return true;
  if (BE_FORMS.has(prev)) return !COMPARISON_NEXT.has(next);
  if (PREP_BEFORE.has(prev)) return false;
  if (/^\d/.test(next)) return true; // "like 20 minutes": approximation
  return LIKE_FILLER_PREV.has(prev) || ALWAYS.has(next);
}
