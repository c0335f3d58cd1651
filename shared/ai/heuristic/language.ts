/**
 * Which language a message is written in, so that English word lists are used only on English.
 * Detection is tinyld (MIT, pure JS, ISO 639-1 codes), called only when a cheap check says the
 * text may not be English: mostly non-Latin letters, or few English stop words. Short messages
 * (under a dozen letters) cannot be told apart reliably and count as English.
 */
import { detectAll } from 'tinyld';
import type { NlpToken } from './nlp.js';

const MIN_LETTERS = 12;
/** English chat has a third or more stop words ("i", "the", "to"…); under 20% is suspicious. */
const MIN_ENGLISH_STOP_SHARE = 0.2;
/** tinyld's score for its top language when it is sure (0.3); below that, only without an English reading. */
const SURE = 0.3;
const PLAUSIBLE = 0.05;

/** ISO 639-1 code of the message's language; 'en' unless another is clearly detected. */
export function detectLanguage(text: string, tokens: readonly NlpToken[]): string {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return 'en';
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  const words = tokens.filter((t) => t.type === 'word');
  const stops = words.filter((t) => t.stop).length;
  const mostlyLatin = latin / letters > 0.5;
  if (mostlyLatin && (words.length < 3 || stops / words.length >= MIN_ENGLISH_STOP_SHARE)) {
    return 'en';
  }
  const ranked = detectAll(text);
  const top = ranked[0];
  if (top === undefined || top.lang === 'en') return 'en';
  const english = ranked.find((r) => r.lang === 'en')?.accuracy ?? 0;
  const clear = top.accuracy >= SURE || (english === 0 && top.accuracy >= PLAUSIBLE);
  return clear || !mostlyLatin ? top.lang : 'en';
}
