import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';

describe('parseConfig', () => {
  it('applies documented defaults', () => {
    const config = parseConfig({ NODE_ENV: 'test' });
    expect(config).toMatchObject({
      PORT: 3000,
      QUEUE_PREFIX: '{sg}',
      ACCESS_TOKEN_TTL: 900,
      REFRESH_TOKEN_TTL: 2_592_000,
      FEATURE_CHAT: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses durations, lists and booleans', () => {
    const config = parseConfig({
      ACCESS_TOKEN_TTL: '10m',
      CORS_ORIGINS: 'https://a.dev, https://b.dev',
      FEATURE_CHAT: 'true',
    });
    expect(config.ACCESS_TOKEN_TTL).toBe(600);
    expect(config.CORS_ORIGINS).toEqual(['https://a.dev', 'https://b.dev']);
    expect(config.FEATURE_CHAT).toBe(true);
  });

  it('names every bad variable at once', () => {
    expect(() =>
      parseConfig({
        PORT: 'eighty',
        DATABASE_URL: 'nope',
        JWT_SECRET: 'short',
        BCRYPT_ROUNDS: '99',
      }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/);
    try {
      parseConfig({
        PORT: 'eighty',
        DATABASE_URL: 'nope',
        JWT_SECRET: 'short',
        BCRYPT_ROUNDS: '99',
      });
    } catch (err) {
      for (const key of ['PORT', 'DATABASE_URL', 'JWT_SECRET', 'BCRYPT_ROUNDS'])
        expect(String(err)).toContain(key);
    }
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(
      parseConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET,
    ).toHaveLength(32);
  });
});

describe('provider settings', () => {
  it('transcribes with OpenAI when a key is set, and with nothing otherwise', () => {
    expect(parseConfig({}).TRANSCRIPTION_PROVIDER).toBe('none');
    const keyed = parseConfig({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' });
    expect(keyed).toMatchObject({
      TRANSCRIPTION_PROVIDER: 'openai',
      TRANSCRIPTION_API_KEY: 'sk-x',
      TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:1/v1',
      TRANSCRIPTION_MODEL: 'whisper-1',
      OPENAI_MODEL: 'gpt-4o-mini',
      SCORING_FALLBACK: 'heuristic',
    });
    const own = parseConfig({
      OPENAI_API_KEY: 'sk-x',
      TRANSCRIPTION_PROVIDER: 'none',
      TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:2/v1',
    });
    expect(own.TRANSCRIPTION_PROVIDER).toBe('none');
    expect(own.TRANSCRIPTION_BASE_URL).toBe('http://127.0.0.1:2/v1');
    // A separate speech server never receives the OpenAI key.
    const separate = parseConfig({
      OPENAI_API_KEY: 'sk-x',
      TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:2/v1',
    });
    expect(separate.TRANSCRIPTION_API_KEY).toBeUndefined();
    expect(separate.TRANSCRIPTION_PROVIDER).toBe('none');
  });

  it('refuses providers that cannot work', () => {
    expect(() => parseConfig({ SCORING_PROVIDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
    expect(() => parseConfig({ TRANSCRIPTION_PROVIDER: 'openai' })).toThrow(
      /TRANSCRIPTION_API_KEY/,
    );
    expect(() => parseConfig({ SCORING_PROVIDER: 'claude' })).toThrow(/SCORING_PROVIDER/);
    expect(() => parseConfig({ SCORING_FALLBACK: 'retry' })).toThrow(/SCORING_FALLBACK/);
  });
});
