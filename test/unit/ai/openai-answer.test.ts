import { describe, expect, it } from 'vitest';
import { analyzeHeuristic, type CoreInput } from '../../../shared/ai/index.js';
import {
  checkAnswer,
  quoteOccurs,
  ratingToScore,
  type JudgeAnswer,
  type LocalFacts,
  type MessageRating,
} from '../../../shared/ai/openai/answer.js';
import { ProviderError } from '../../../shared/ai/openai/errors.js';
import { ratingsFor } from '../../helpers/fake-openai.js';

const input: CoreInput = {
  mode: 'text',
  messages: [
    { role: 'AI', content: 'I finally finished the marathon on Sunday.' },
    { role: 'USER', content: 'Congrats! How did your legs feel at the 30 km mark?' },
    { role: 'AI', content: 'Like concrete, honestly.' },
    { role: 'USER', content: 'Ha, concrete legs earn you a big brunch. Pancakes on me?' },
  ],
};

/** The fake judge's rating of one message (evidence: the first words of `content`). */
const rating = (index: number, score = 4, content = 'How did your legs feel') =>
  ratingsFor({ index, role: 'USER', content }, score) as MessageRating;

function facts(over: Partial<LocalFacts> = {}): Map<number, LocalFacts> {
  const base: LocalFacts = {
    safetyFlag: 'OK',
    wordCount: 10,
    fillerCount: 0,
    injection: false,
    traits: {
      confidence: 40,
      clarity: 40,
      humor: 40,
      tensionControl: 40,
      emotionalWarmth: 40,
      dominance: 40,
    },
  };
  return new Map([
    [1, { ...base, ...over }],
    [3, { ...base, ...over }],
  ]);
}

const answer = (...messages: MessageRating[]): JudgeAnswer => ({ messages });

describe('quoteOccurs', () => {
  it('finds a quote regardless of case, spacing, curly quotes and ellipses', () => {
    const message = "I can’t believe   you ran 42 km… that's wild";
    expect(quoteOccurs("CAN'T BELIEVE you ran", message)).toBe(true);
    expect(quoteOccurs('"you ran 42 km..."', message)).toBe(true);
    expect(quoteOccurs('you walked 42 km', message)).toBe(false);
    expect(quoteOccurs('  ', message)).toBe(false);
    // A letter or two occurs anywhere: too short to be evidence, unless it is the whole message.
    expect(quoteOccurs('I', message)).toBe(false);
    expect(quoteOccurs('ok', 'OK')).toBe(true);
  });
});

describe('checkAnswer', () => {
  it('maps 1-5 onto 0-100 and labels from the charisma index', () => {
    expect([1, 2, 3, 4, 5].map(ratingToScore)).toEqual([0, 25, 50, 75, 100]);
    const [first] = checkAnswer(answer(rating(1, 5), rating(3)), input, facts());
    expect(first?.analysis.traits.confidence).toBe(100);
    expect(first?.analysis.label).toBe('great');
    expect(first?.analysis.wordCount).toBe(10);
  });

  it('sets a trait with evidence from another message to neutral', () => {
    const [, second] = checkAnswer(answer(rating(1), rating(3, 5)), input, facts());
    // 'How did your legs' is in message 1, not in message 3.
    expect(second?.analysis.traits.humor).toBe(50);
    expect(second?.unsupported).toHaveLength(6);
  });

  it.each([
    ['a missing message', [rating(1)]],
    ['an extra message', [rating(1), rating(3), rating(2)]],
    ['a repeated message', [rating(1), rating(1)]],
    ['an AI line rated instead', [rating(0), rating(1)]],
  ])('refuses an answer with %s', (_, messages) => {
    expect(() => checkAnswer(answer(...messages), input, facts())).toThrow(ProviderError);
  });

  it('refuses an answer without feedback', () => {
    const silent = { ...rating(1), microFeedback: '  ' };
    expect(() => checkAnswer(answer(silent, rating(3)), input, facts())).toThrow(/microFeedback/);
  });

  it('keeps the stricter safety verdict of the model and the local lists', () => {
    const blocked = checkAnswer(
      answer(rating(1), rating(3)),
      input,
      facts({ safetyFlag: 'BLOCK' }),
    );
    expect(blocked[0]?.analysis.safetyFlag).toBe('BLOCK');
    expect(blocked[0]?.analysis.flags).toContain('unsafe');
    const risky = checkAnswer(answer({ ...rating(1), safety: 'RISKY' }, rating(3)), input, facts());
    expect(risky[0]?.analysis.safetyFlag).toBe('RISKY');
  });

  it('never lets an injection message score above the deterministic analysis', () => {
    const checked = checkAnswer(answer(rating(1, 5), rating(3)), input, facts({ injection: true }));
    expect(checked[0]?.analysis.traits.confidence).toBe(40);
    expect(checked[0]?.analysis.flags).toContain('injection');
  });

  it('uses the local analysis that the provider is given', () => {
    const local = analyzeHeuristic(input);
    expect(local.messages.map((m) => m.index)).toEqual([1, 3]);
  });
});
