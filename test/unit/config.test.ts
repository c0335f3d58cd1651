import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';

/** Settings parsed as in development, where no secret is required. */
const dev = { NODE_ENV: 'development' };

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
      ...dev,
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

  it('has no default JWT secret: random per process in development and test', () => {
    const one = parseConfig({ NODE_ENV: 'development' }).JWT_SECRET;
    const two = parseConfig({ NODE_ENV: 'test' }).JWT_SECRET;
    expect(Buffer.byteLength(one)).toBeGreaterThanOrEqual(32);
    expect(one).not.toBe(two);
  });
});

describe('JWT_SECRET', () => {
  const strong = 'q8Vx2LmN0pR7sT4uW9yZ1aB3cD5eF6gH';

  it('is required with NODE_ENV unset (production), naming the setting', () => {
    expect(() => parseConfig({})).toThrow(/JWT_SECRET: is required unless NODE_ENV/);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(parseConfig({ JWT_SECRET: strong })).toMatchObject({
      NODE_ENV: 'production',
      JWT_SECRET: strong,
    });
  });

  it('refuses in production the values once committed to the repository', () => {
    for (const secret of [
      'dev-only-secret-do-not-use-in-production-0123456789',
      'change-me-to-a-long-random-secret-of-32-chars',
      'test-secret-that-is-long-enough-0123456789',
    ]) {
      expect(() => parseConfig({ JWT_SECRET: secret })).toThrow(/JWT_SECRET: is a public/);
    }
  });

  it('needs 32 bytes, and in production some variety', () => {
    expect(() => parseConfig({ ...dev, JWT_SECRET: 'x'.repeat(31) })).toThrow(/32 bytes/);
    // 16 characters of two bytes each are 32 bytes.
    expect(parseConfig({ ...dev, JWT_SECRET: 'é'.repeat(16) }).JWT_SECRET).toBe('é'.repeat(16));
    for (const weak of ['x'.repeat(32), '12345678'.repeat(4)]) {
      expect(() => parseConfig({ JWT_SECRET: weak })).toThrow(/JWT_SECRET: looks guessable/);
    }
  });
});

describe('security settings', () => {
  it('default the refresh grace to 20 s, metrics to loopback and Bull Board to read-write', () => {
    expect(parseConfig(dev)).toMatchObject({
      REFRESH_REUSE_GRACE_SEC: 20,
      WORKER_METRICS_HOST: '127.0.0.1',
      BULL_BOARD_READ_ONLY: false,
      RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: 10,
      RATE_LIMIT_LOGIN_PER_ACCOUNT: 100,
      RATE_LIMIT_LOGIN_ACCOUNT_WINDOW: 3600,
    });
    expect(() => parseConfig({ ...dev, REFRESH_REUSE_GRACE_SEC: '-1' })).toThrow(
      /REFRESH_REUSE_GRACE_SEC/,
    );
    expect(() => parseConfig({ ...dev, BULL_BOARD_READ_ONLY: 'yes' })).toThrow(
      /BULL_BOARD_READ_ONLY/,
    );
  });

  it('refuse worker metrics beyond loopback without METRICS_TOKEN', () => {
    expect(() => parseConfig({ ...dev, WORKER_METRICS_HOST: '0.0.0.0' })).toThrow(
      /METRICS_TOKEN: is required when WORKER_METRICS_HOST/,
    );
    expect(
      parseConfig({ ...dev, WORKER_METRICS_HOST: '0.0.0.0', METRICS_TOKEN: 'm'.repeat(16) })
        .WORKER_METRICS_HOST,
    ).toBe('0.0.0.0');
    expect(parseConfig({ ...dev, WORKER_METRICS_HOST: '::1' }).WORKER_METRICS_HOST).toBe('::1');
  });

  it('refuse a per-account login ceiling that one address alone could reach', () => {
    // 10 per 15 minutes from one address: up to 10 × (60/15 + 1) = 50 in an hour.
    expect(() => parseConfig({ ...dev, RATE_LIMIT_LOGIN_PER_ACCOUNT: '50' })).toThrow(
      /RATE_LIMIT_LOGIN_PER_ACCOUNT: must exceed 50/,
    );
    expect(parseConfig({ ...dev, RATE_LIMIT_LOGIN_PER_ACCOUNT: '51' })).toBeTruthy();
    expect(() =>
      parseConfig({
        ...dev,
        RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '3',
        RATE_LIMIT_LOGIN_WINDOW: '15m',
        RATE_LIMIT_LOGIN_PER_ACCOUNT: '6',
        RATE_LIMIT_LOGIN_ACCOUNT_WINDOW: '15m',
      }),
    ).toThrow(/must exceed 6/);
  });
});

describe('provider settings', () => {
  it('transcribes with OpenAI when a key is set, and with nothing otherwise', () => {
    expect(parseConfig(dev).TRANSCRIPTION_PROVIDER).toBe('none');
    const keyed = parseConfig({
      ...dev,
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
    });
    expect(keyed).toMatchObject({
      TRANSCRIPTION_PROVIDER: 'openai',
      TRANSCRIPTION_API_KEY: 'sk-x',
      TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:1/v1',
      TRANSCRIPTION_MODEL: 'whisper-1',
      OPENAI_MODEL: 'gpt-4o-mini',
      SCORING_FALLBACK: 'heuristic',
    });
    const own = parseConfig({
      ...dev,
      OPENAI_API_KEY: 'sk-x',
      TRANSCRIPTION_PROVIDER: 'none',
      TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:2/v1',
    });
    expect(own.TRANSCRIPTION_PROVIDER).toBe('none');
    expect(own.TRANSCRIPTION_BASE_URL).toBe('http://127.0.0.1:2/v1');
    // A separate speech server never receives the OpenAI key.
    const separate = parseConfig({
      ...dev,
      OPENAI_API_KEY: 'sk-x',
      TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:2/v1',
    });
    expect(separate.TRANSCRIPTION_API_KEY).toBeUndefined();
    expect(separate.TRANSCRIPTION_PROVIDER).toBe('none');
  });

  it('refuses providers that cannot work', () => {
    expect(() => parseConfig({ ...dev, SCORING_PROVIDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
    expect(() => parseConfig({ ...dev, TRANSCRIPTION_PROVIDER: 'openai' })).toThrow(
      /TRANSCRIPTION_API_KEY/,
    );
    expect(() => parseConfig({ ...dev, SCORING_PROVIDER: 'claude' })).toThrow(/SCORING_PROVIDER/);
    expect(() => parseConfig({ ...dev, SCORING_FALLBACK: 'retry' })).toThrow(/SCORING_FALLBACK/);
  });
});

describe('mail settings', () => {
  const mail = {
    ...dev,
    SMTP_URL: 'smtp://mailer:secret@127.0.0.1:2525',
    MAIL_FROM: 'SocialGym <no-reply@socialgym.dev>',
    APP_RESET_URL: 'https://app.socialgym.dev/reset',
  };

  it('leave mail off by default', () => {
    const config = parseConfig(dev);
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.RATE_LIMIT_RESET_PER_ACCOUNT).toBe(5);
    expect(config.RATE_LIMIT_RESET_WINDOW).toBe(3600);
  });

  it('accept smtp:// and smtps:// servers with a sender and a reset page', () => {
    expect(parseConfig(mail).SMTP_URL).toBe(mail.SMTP_URL);
    expect(parseConfig({ ...mail, SMTP_URL: 'smtps://smtp.example.com:465' }).SMTP_URL).toBe(
      'smtps://smtp.example.com:465',
    );
    expect(parseConfig({ ...mail, MAIL_FROM: 'no-reply@socialgym.dev' }).MAIL_FROM).toBe(
      'no-reply@socialgym.dev',
    );
  });

  it('refuse at start what cannot be honoured, naming the setting', () => {
    const refused: [Record<string, string>, RegExp][] = [
      [{ SMTP_URL: 'http://127.0.0.1:2525' }, /SMTP_URL: must be an smtp/],
      [{ SMTP_URL: 'not a url' }, /SMTP_URL/],
      [{ MAIL_FROM: 'nobody' }, /MAIL_FROM/],
      [{ MAIL_FROM: 'Evil\r\nBcc: x@y.dev <a@b.dev>' }, /MAIL_FROM/],
      [{ APP_RESET_URL: 'javascript:alert(1)' }, /APP_RESET_URL/],
      [{ APP_RESET_URL: '/reset' }, /APP_RESET_URL/],
      [{ MAIL_FROM: '' }, /MAIL_FROM: is required when SMTP_URL is set/],
      [{ APP_RESET_URL: '' }, /APP_RESET_URL: is required when SMTP_URL is set/],
    ];
    for (const [change, message] of refused) {
      expect(() => parseConfig({ ...mail, ...change })).toThrow(message);
    }
  });

  it('refuse a plain-http reset page in production', () => {
    const production = {
      ...mail,
      NODE_ENV: 'production',
      JWT_SECRET: 'k3Jx9Qw2Lp7Vz4Nt8Rb1Yc6Hs0Md5FgA7uE2wXq',
    };
    expect(parseConfig(production).APP_RESET_URL).toBe(mail.APP_RESET_URL);
    expect(() =>
      parseConfig({ ...production, APP_RESET_URL: 'http://app.socialgym.dev/reset' }),
    ).toThrow(/APP_RESET_URL: must be https/);
    expect(
      parseConfig({ ...mail, APP_RESET_URL: 'http://localhost:8081/reset' }).APP_RESET_URL,
    ).toBe('http://localhost:8081/reset');
  });
});
