import type { Config } from './config.js';

/**
 * The configuration rules a single variable's schema cannot express: between variables, on
 * production secrets, and between the login limits. `parseConfig` reports them with the rest.
 */

/**
 * Secrets that were once committed to this repository (defaults and examples): public, so
 * production refuses them even when they are set explicitly.
 */
const PUBLIC_SECRETS = new Set([
  'dev-only-secret-do-not-use-in-production-0123456789',
  'change-me-to-a-long-random-secret-of-32-chars',
  'test-secret-that-is-long-enough-0123456789',
]);

/** HS256 wants a key of at least its 256-bit output (RFC 7518 §3.2): 32 bytes. */
export const MIN_SECRET_BYTES = 32;
/**
 * A random 32-byte secret in hex or base64 has well over 10 distinct characters; fewer means a
 * repeated or keyboard-walk value such as "xxxx…" or "1234…".
 */
const MIN_SECRET_DISTINCT_CHARS = 10;

const isLoopback = (host: string) => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host);

/** Rules between variables, checked on the raw values so they are reported with the rest. */
export function crossFieldIssues(env: Record<string, string | undefined>): string[] {
  const issues: string[] = [];
  const production = (env.NODE_ENV ?? 'production') === 'production';
  if (production) issues.push(...productionSecretIssues(env.JWT_SECRET));
  if (env.WORKER_METRICS_HOST && !isLoopback(env.WORKER_METRICS_HOST) && !env.METRICS_TOKEN) {
    issues.push('METRICS_TOKEN: is required when WORKER_METRICS_HOST is not loopback');
  }
  if (Boolean(env.ADMIN_USER) !== Boolean(env.ADMIN_PASSWORD)) {
    issues.push('ADMIN_PASSWORD: ADMIN_USER and ADMIN_PASSWORD are set together');
  }
  if (env.REDIS_CLUSTER_NODES && !/\{[^}]+\}/.test(env.QUEUE_PREFIX ?? '{sg}')) {
    issues.push('QUEUE_PREFIX: must contain a {hash tag} when REDIS_CLUSTER_NODES is set');
  }
  if (env.SCORING_PROVIDER === 'openai' && !env.OPENAI_API_KEY) {
    issues.push('OPENAI_API_KEY: is required when SCORING_PROVIDER=openai');
  }
  if (env.SMTP_URL) {
    for (const key of ['MAIL_FROM', 'APP_RESET_URL'] as const) {
      if (!env[key]) issues.push(`${key}: is required when SMTP_URL is set`);
    }
  }
  if (production && /^http:/i.test(env.APP_RESET_URL ?? '')) {
    issues.push('APP_RESET_URL: must be https:// in production (the link carries a reset token)');
  }
  const inheritsKey = !env.TRANSCRIPTION_BASE_URL && Boolean(env.OPENAI_API_KEY);
  if (env.TRANSCRIPTION_PROVIDER === 'openai' && !env.TRANSCRIPTION_API_KEY && !inheritsKey) {
    issues.push(
      'TRANSCRIPTION_API_KEY: TRANSCRIPTION_PROVIDER=openai needs it (or OPENAI_API_KEY when TRANSCRIPTION_BASE_URL is unset)',
    );
  }
  return issues;
}

/** Production (and an unset NODE_ENV) signs tokens only with a real, private secret. */
function productionSecretIssues(secret: string | undefined): string[] {
  if (!secret) {
    return [
      'JWT_SECRET: is required unless NODE_ENV is development or test (NODE_ENV unset means production)',
    ];
  }
  // A short one is reported by the schema.
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) return [];
  if (PUBLIC_SECRETS.has(secret))
    return ['JWT_SECRET: is a public example value; generate one (openssl rand -base64 48)'];
  if (new Set(secret).size < MIN_SECRET_DISTINCT_CHARS) {
    return [
      `JWT_SECRET: looks guessable (fewer than ${MIN_SECRET_DISTINCT_CHARS} distinct characters); generate one (openssl rand -base64 48)`,
    ];
  }
  return [];
}

/**
 * One address can fail RATE_LIMIT_LOGIN_PER_ACCOUNT_IP times in every (fixed) window that
 * starts inside the ceiling's window: at most floor(ceiling window / window) + 1 of them. The
 * ceiling must stay above that, or one address could lock the owner out everywhere.
 */
export function loginCeilingIssues(c: Config): string[] {
  const fromOneAddress =
    c.RATE_LIMIT_LOGIN_PER_ACCOUNT_IP *
    (Math.floor(c.RATE_LIMIT_LOGIN_ACCOUNT_WINDOW / c.RATE_LIMIT_LOGIN_WINDOW) + 1);
  return c.RATE_LIMIT_LOGIN_PER_ACCOUNT > fromOneAddress
    ? []
    : [
        `RATE_LIMIT_LOGIN_PER_ACCOUNT: must exceed ${fromOneAddress}, the failures one address can reach in RATE_LIMIT_LOGIN_ACCOUNT_WINDOW (RATE_LIMIT_LOGIN_PER_ACCOUNT_IP per RATE_LIMIT_LOGIN_WINDOW)`,
      ];
}
