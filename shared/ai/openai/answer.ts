/**
 * The judge's answer: the strict schema the model must follow, and the code that checks it and
 * turns it into AiCore analyses. The model proposes ratings; code decides what they are worth.
 */
import { z } from 'zod';
import { charismaIndex, labelFor } from '../metrics.js';
import {
  TRAITS,
  type CoreInput,
  type MessageAnalysis,
  type SafetyFlag,
  type Traits,
} from '../types.js';
import { ProviderError } from './errors.js';

export const FLAGS = [
  'uncertainty',
  'filler',
  'overexplaining',
  'low-effort',
  'needy',
  'pushy',
  'rude',
  'off-topic',
  'repetitive',
  'unsafe',
] as const;
export const TAGS = [
  'curious',
  'playful',
  'confident',
  'warm',
  'leading',
  'specific',
  'low-impact',
] as const;

/** Evidence first, so the model quotes before it rates. */
const TraitRating = z.object({
  evidence: z.string(),
  rating: z.number().int().min(1).max(5),
});

const MessageRating = z.object({
  /** A text session has at most 60 messages. */
  index: z.number().int().min(0).max(59),
  language: z.string(),
  confidence: TraitRating,
  clarity: TraitRating,
  humor: TraitRating,
  tensionControl: TraitRating,
  emotionalWarmth: TraitRating,
  dominance: TraitRating,
  flags: z.array(z.enum(FLAGS)),
  tags: z.array(z.enum(TAGS)),
  safety: z.enum(['OK', 'RISKY', 'BLOCK']),
  microFeedback: z.string(),
});
export type MessageRating = z.infer<typeof MessageRating>;

export const JudgeAnswer = z.object({ messages: z.array(MessageRating) });
export type JudgeAnswer = z.infer<typeof JudgeAnswer>;

/** A trait without evidence that occurs in the message is neither rewarded nor punished. */
export const NEUTRAL = 50;
const MAX_FEEDBACK_CHARS = 300;
/** Shortest quote that counts as evidence (or the whole message, when it is shorter). */
const MIN_QUOTE_CHARS = 8;
const SEVERITY: Record<SafetyFlag, number> = { OK: 0, RISKY: 1, BLOCK: 2 };

/** 1-5 → 0-100: 1 → 0, 3 → 50, 5 → 100. */
export const ratingToScore = (rating: number) => (rating - 1) * 25;

/** Lower-cased, quotes and dashes unified, whitespace collapsed: how a quote is found. */
function normalizeForQuote(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’ʼ`´]/g, "'")
    .replace(/[“”«»„]/g, '"')
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Does the quote occur in the message (ignoring case, spacing and surrounding quote marks), and is
 * it long enough to be evidence (8 characters, or the whole of a shorter message)?
 */
export function quoteOccurs(quote: string, message: string): boolean {
  const q = normalizeForQuote(quote)
    .replace(/^["'\s]+|["'\s]+$/g, '')
    .replace(/(\.\.\.)+$/, '')
    .replace(/^(\.\.\.)+/, '')
    .trim();
  const m = normalizeForQuote(message);
  // A quote must say something: a letter or two occurs almost anywhere.
  return q.length > 0 && q.length >= Math.min(MIN_QUOTE_CHARS, m.length) && m.includes(q);
}

/** What the code itself knows of a message (from the deterministic analysis). */
export interface LocalFacts {
  safetyFlag: SafetyFlag;
  wordCount: number;
  fillerCount: number;
  /** The message addresses the scorer: its score may only go down. */
  injection: boolean;
  /** The deterministic traits, the ceiling of an injection message. */
  traits: Traits;
}

export interface CheckedMessage {
  analysis: MessageAnalysis;
  /** Traits set to neutral because their quote was not in the message. */
  unsupported: string[];
}

/**
 * Checks the answer against the conversation and builds one analysis per USER message. Missing,
 * extra or repeated indexes make the whole answer invalid. Safety is the stricter of the model's
 * verdict and the local one; an injection message keeps the lower of each trait.
 */
export function checkAnswer(
  answer: JudgeAnswer,
  input: CoreInput,
  facts: ReadonlyMap<number, LocalFacts>,
): CheckedMessage[] {
  const expected = input.messages.flatMap((m, i) => (m.role === 'USER' ? [i] : []));
  const got = answer.messages.map((m) => m.index).sort((a, b) => a - b);
  if (got.length !== expected.length || got.some((index, i) => index !== expected[i])) {
    throw new ProviderError(
      'scoring',
      'invalid_output',
      `answer rates messages [${got.join(',')}], expected the USER messages [${expected.join(',')}]`,
    );
  }
  const byIndex = new Map(answer.messages.map((m) => [m.index, m]));
  return expected.map((index) => {
    const rating = byIndex.get(index);
    const local = facts.get(index);
    const content = input.messages[index]?.content ?? '';
    if (!rating || !local) throw new ProviderError('scoring', 'invalid_output', 'lost a message');
    return checkMessage(index, rating, content, local);
  });
}

function checkMessage(
  index: number,
  rating: MessageRating,
  content: string,
  local: LocalFacts,
): CheckedMessage {
  const feedback = rating.microFeedback.replace(/\s+/g, ' ').trim();
  if (feedback === '') {
    throw new ProviderError('scoring', 'invalid_output', `message ${index} has no microFeedback`);
  }
  const unsupported: string[] = [];
  const traits = {} as Traits;
  for (const trait of TRAITS) {
    const { evidence, rating: r } = rating[trait];
    const supported = quoteOccurs(evidence, content);
    if (!supported) unsupported.push(trait);
    const score = supported ? ratingToScore(r) : NEUTRAL;
    traits[trait] = local.injection ? Math.min(score, local.traits[trait]) : score;
  }
  const safetyFlag =
    SEVERITY[local.safetyFlag] > SEVERITY[rating.safety] ? local.safetyFlag : rating.safety;
  const flags = new Set<string>(rating.flags);
  if (safetyFlag === 'BLOCK') flags.add('unsafe');
  if (local.injection) flags.add('injection');
  const language = /^[a-z]{2,3}$/.test(rating.language.trim().toLowerCase())
    ? rating.language.trim().toLowerCase()
    : 'und';
  return {
    unsupported,
    analysis: {
      index,
      traits,
      label: labelFor(charismaIndex(traits)),
      flags: [...flags],
      tags: [...new Set(rating.tags)],
      microFeedback: truncate(feedback, MAX_FEEDBACK_CHARS),
      safetyFlag,
      wordCount: local.wordCount,
      fillerCount: local.fillerCount,
      language,
    },
  };
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}
