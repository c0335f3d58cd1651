/**
 * Filler detection with context. "um"/"uh" always count; "like" counts only when it is not a verb
 * ("I like jazz") or a preposition ("looks like rain"); "you know" and "i mean" count when they
 * are parenthetical rather than part of the sentence ("do you know my cousin?", "I mean it").
 */
import { LEX } from './lexicon.js';
import { keySet, type Doc, type Token } from './text.js';

const ALWAYS = keySet(LEX.fillers);
const VERB_BEFORE = keySet(LEX.likeVerbBefore);
const PREP_BEFORE = keySet(LEX.likePrepBefore);
// prettier-ignore
const BE_FORMS = keySet(['was', 'is', 'am', "i'm", 'are', 'were', "it's", "he's", "she's", "that's", 'be', 'been', "you're", "we're", "they're"]);
// prettier-ignore
const COMPARISON_NEXT = keySet(['a', 'an', 'the', 'that', 'this', 'it', 'my', 'your', 'his', 'her', 'their', 'our', 'being', 'when', 'me', 'him', 'them', 'you']);
const LIKE_FILLER_PREV = keySet([
  'so',
  'and',
  'but',
  'know',
  'um',
  'uh',
  'or',
  'just',
  'yeah',
  'oh',
]);
// prettier-ignore
const KNOW_VERB_PREV = keySet(['do', 'did', "don't", "didn't", 'if', 'how', 'would', 'let', 'as', 'whether', 'since', 'will', 'you', 'could', 'should', 'might', 'may', 'to', 'can', 'what', 'who', 'ya']);
const KNOW_FILLER_NEXT = keySet([
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
const MEAN_VERB_NEXT = keySet(['it', 'that', 'this', 'to', 'you', 'what', 'business', 'well']);

/** Counts fillers in a message. */
export function countFillers(doc: Doc): number {
  const { text, tokens } = doc;
  const punctAfter = (t: Token): string => /^\s*([,.;!?…-])?/.exec(text.slice(t.end))?.[1] ?? '';
  const punctBefore = (t: Token): boolean =>
    /[,.;!?…-]\s*$/.test(text.slice(Math.max(0, t.start - 3), t.start));
  let count = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok === undefined) continue;
    const prevTok = tokens[i - 1];
    const nextTok = tokens[i + 1];
    const prev = prevTok?.key ?? '';
    const next = nextTok?.key ?? '';
    if (ALWAYS.has(tok.key)) {
      count++;
    } else if (tok.key === 'like') {
      const clauseStart = prevTok === undefined || punctBefore(tok);
      if (isLikeFiller(prev, next, clauseStart, punctAfter(tok) === ',')) count++;
    } else if (tok.key === 'know' && prev === 'you') {
      const before = tokens[i - 2]?.key ?? '';
      const parenthetical =
        punctAfter(tok) !== '' || nextTok === undefined || KNOW_FILLER_NEXT.has(next);
      if (parenthetical && !KNOW_VERB_PREV.has(before)) count++;
    } else if (tok.key === 'mean' && prev === 'i' && prevTok !== undefined) {
      const iStart = i < 2 || punctBefore(prevTok);
      if (iStart && (punctAfter(tok) === ',' || !MEAN_VERB_NEXT.has(next))) count++;
    }
  }
  return count;
}

function isLikeFiller(prev: string, next: string, clauseStart: boolean, commaAfter: boolean) {
  if (VERB_BEFORE.has(prev)) return false;
  if (commaAfter || clauseStart) return true;
  if (BE_FORMS.has(prev)) return !COMPARISON_NEXT.has(next);
  if (PREP_BEFORE.has(prev)) return false;
  if (/^\d/.test(next)) return true; // "like 20 minutes": approximation
  return LIKE_FILLER_PREV.has(prev) || ALWAYS.has(next);
}
