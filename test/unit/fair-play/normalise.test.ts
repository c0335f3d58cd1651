import { describe, expect, it } from 'vitest';
import { contentHash, normaliseMessage } from '../../../shared/fair-play/index.js';

describe('normaliseMessage', () => {
  it('ignores case, whitespace and punctuation', () => {
    const same = [
      'Want to grab tacos on Friday?',
      'want to grab  tacos on friday',
      'WANT TO GRAB TACOS... ON FRIDAY!!',
    ];
    expect(new Set(same.map(normaliseMessage)).size).toBe(1);
  });

  it('ignores invisible characters and full-width forms', () => {
    expect(normaliseMessage('ta\u200bcos')).toBe(normaliseMessage('tacos'));
    expect(normaliseMessage('ＴＡＣＯＳ')).toBe(normaliseMessage('tacos'));
  });

  it('keeps words, digits and emoji: different content stays different', () => {
    expect(normaliseMessage('tacos at 7')).not.toBe(normaliseMessage('tacos at 8'));
    expect(normaliseMessage('nice 😄')).not.toBe(normaliseMessage('nice'));
  });
});

describe('contentHash', () => {
  it('is the same for the same messages written differently, in order', () => {
    expect(contentHash(['Hi there!', 'How was the trip?'])).toBe(
      contentHash(['hi there', 'how was the trip']),
    );
    expect(contentHash(['a b', 'c d'])).not.toBe(contentHash(['c d', 'a b']));
  });

  it('does not join messages into one (two messages are not their concatenation)', () => {
    expect(contentHash(['ab', 'c'])).not.toBe(contentHash(['a', 'bc']));
  });

  it('ignores the order of unordered messages (A/B options)', () => {
    expect(contentHash(['first option', 'Second option!'], true)).toBe(
      contentHash(['second option', 'first option'], true),
    );
  });

  it('is a SHA-256 hex digest', () => {
    expect(contentHash(['x'])).toMatch(/^[0-9a-f]{64}$/);
  });
});
