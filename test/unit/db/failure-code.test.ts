import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../shared/ai/openai/errors.js';
import { PermanentSessionError } from '../../../worker/processors/failures.js';
import { failureCode } from '../../../worker/scoring-worker.js';

describe('failureCode (what a FAILED session shows)', () => {
  it('keeps our own codes', () => {
    expect(failureCode(new PermanentSessionError('INVALID_INPUT', 'bad'))).toBe('INVALID_INPUT');
  });

  it('never shows a driver’s code', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'SOME_CODE']) {
      expect(failureCode(Object.assign(new Error('x'), { code }))).toBe('SCORING_FAILED');
    }
  });

  it('keeps a provider’s stage code', () => {
    const err = new ProviderError('transcription', 'connection', 'the speech server keeps failing');
    expect(failureCode(err)).toBe('TRANSCRIPTION_FAILED');
  });
});
