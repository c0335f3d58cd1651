import { describe, expect, it } from 'vitest';
import { templateLimitViolation, wordCount } from '../../../shared/fair-play/index.js';

describe('templateLimitViolation', () => {
  const limits = { maxMessages: 2, wordLimit: 5 };

  it('accepts messages within the limits, and anything without limits', () => {
    expect(
      templateLimitViolation(limits, ['one two three', 'four five six seven eight']),
    ).toBeNull();
    const long = 'word '.repeat(500);
    expect(
      templateLimitViolation({ maxMessages: null, wordLimit: null }, [long, long, long]),
    ).toBeNull();
  });

  it('refuses more USER messages than maxMessages', () => {
    expect(templateLimitViolation(limits, ['a', 'b', 'c'])).toMatch(/at most 2 USER messages/);
  });

  it('refuses a message over wordLimit', () => {
    expect(templateLimitViolation(limits, ['a b c d e f'])).toMatch(/at most 5 words/);
  });

  it('counts words as runs of non-space characters', () => {
    expect(wordCount('  hello,   world \n again ')).toBe(3);
    expect(wordCount('')).toBe(0);
  });
});
