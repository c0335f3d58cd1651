/**
 * Which language a message is written in, so that English word lists are used only on English.
 * Detection is tinyld (MIT, pure JS, ISO 639-1 codes), called only when a cheap check says the
 * text may not be English: mostly non-Latin letters, or few of English's own function words. Short messages
 * (under a dozen letters) cannot be told apart reliably and count as English.
 */
import { detectAll } from 'tinyld';
import { LEX } from './lexicon.js';
import type { NlpToken } from './nlp.js';

const MIN_LETTERS = 12;
/**
 * English chat has a fifth or more of its words among LEX.englishMarkers ("the", "you", "is"…);
 * under a tenth, the detector decides.
 */
const MIN_ENGLISH_MARKER_SHARE = 0.1;
const ENGLISH_MARKERS = new Set(LEX.englishMarkers);
/** English chat has a third or more stop words; a fifth is enough when nothing looks foreign. */
const MIN_ENGLISH_STOP_SHARE = 0.2;
/** Inverted punctuation and accented letters inside words, which English spelling does not use. */
const FOREIGN_LATIN = /[¿¡ñãõßøåæœłęąśźżčřšžőű]|\p{L}[áíóúâêôàèìòùäöüë]|[áíóúâêôàèìòùäöüë]\p{L}/iu;
/**
 * tinyld's score for its top language when it is sure (0.3); between PLAUSIBLE and that, only when
 * at least three times its English reading.
 */
const SURE = 0.3;
const PLAUSIBLE = 0.05;

/** ISO 639-1 code of the message's language; 'en' unless another is clearly detected. */
export function detectLanguage(text: string, tokens: readonly NlpToken[]): string {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return 'en';
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  const words = tokens.filter((t) => t.type === 'word');
  const mostlyLatin = latin / letters > 0.5;
  // English's own function words ("the", "you"), or English stop words in a text without the
  // accents and marks English does not use: "a", "me" or "no" are stop words of Spanish too.
  const markers = words.filter((t) => ENGLISH_MARKERS.has(t.word)).length;
  const stops = words.filter((t) => t.stop).length;
  const looksEnglish =
    words.length < 3 ||
    markers / words.length >= MIN_ENGLISH_MARKER_SHARE ||
    (!FOREIGN_LATIN.test(text) && stops / words.length >= MIN_ENGLISH_STOP_SHARE);
  if (mostlyLatin && looksEnglish) return 'en';
  const ranked = detectAll(text);
  const top = ranked[0];
  if (top === undefined || top.lang === 'en') return 'en';
  const english = ranked.find((r) => r.lang === 'en')?.accuracy ?? 0;
  // Sure, or plausible and well ahead of any English reading (short texts score low throughout).
  const clear = top.accuracy >= SURE || (top.accuracy >= PLAUSIBLE && top.accuracy >= 3 * english);
  return clear || !mostlyLatin ? top.lang : 'en';
}
