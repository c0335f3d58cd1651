import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { parseConfig, type Config } from '../../shared/config.js';

/** This test worker's own database (created by global-setup). */
export function workerDatabaseUrl(): string {
  return inject('databaseUrlPattern').replace('__ID__', process.env.VITEST_POOL_ID ?? '0');
}

/** A unique queue/rate-limit prefix, so test files never see each other's Redis keys. */
export function uniquePrefix(): string {
  return `{sgt-${randomBytes(4).toString('hex')}}`;
}

/**
 * This test file's JWT secret: random, so no secret in the repository is ever used, and shared by
 * every app the file builds (two API processes must accept each other's tokens).
 */
const jwtSecret = randomBytes(32).toString('base64url');

/**
 * A test configuration: the worker's database, local Redis, fast bcrypt, silent logs, no per-user
 * submit, in-flight, read or export limits and no event-loop overload limit.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: workerDatabaseUrl(),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: uniquePrefix(),
    JWT_SECRET: jwtSecret,
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Tests submit far faster than a person, and the app shares its event loop with the test
    // worker's scoring; the tests of these limits set their own.
    RATE_LIMIT_SUBMITS_PER_USER: '100000',
    SUBMIT_MAX_IN_FLIGHT_PER_USER: '100000',
    RATE_LIMIT_READS_PER_USER: '100000',
    RATE_LIMIT_EXPORTS_PER_USER: '100000',
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '100000',
    ...overrides,
  });
}
