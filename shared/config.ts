import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { crossFieldIssues, loginCeilingIssues, MIN_SECRET_BYTES } from './config-rules.js';

/**
 * The process configuration, parsed once from the environment. Nothing else reads `process.env`.
 * Every variable is documented here and in `.env.example`.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Durations like "15m", "30d", "45s" or a plain number of seconds. */
const duration = z
  .string()
  .regex(/^\d+[smhd]?$/, 'must be a number of seconds or like 15m, 12h, 30d')
  .transform((v) => {
    const unit = v.at(-1) ?? '';
    const factor: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
    return factor[unit] ? Number(v.slice(0, -1)) * (factor[unit] ?? 1) : Number(v);
  });

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/**
 * A sender mailbox: `a@b.example` or `Display Name <a@b.example>`, on one line, without quotes or
 * angle brackets in the name (nothing nodemailer would have to re-quote).
 */
function isMailbox(value: string): boolean {
  const match = /^(?:([^"<>\r\n]*?)\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(value.trim());
  const address = match?.[2] ?? match?.[3];
  return address !== undefined && z.email().safeParse(address).success;
}

const schema = z
  .object({
    /**
     * development | test | production. Unset means production (the safe side): secrets are
     * required unless someone asked for development or test.
     */
    NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
    /** HTTP port of the API. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** PostgreSQL connection string. */
    DATABASE_URL: z.url().default('postgresql://postgres@127.0.0.1:5432/socialgym'),
    /** Redis connection string (BullMQ queues, rate limits, completion events). */
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
    /**
     * Redis Cluster startup nodes, comma-separated host:port; when set, REDIS_URL is not used and
     * QUEUE_PREFIX must contain a {hash tag}.
     */
    REDIS_CLUSTER_NODES: csv
      .pipe(z.array(z.string().regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port items')))
      .default([]),
    /** Key prefix of every BullMQ queue; the braces are a Redis Cluster hash tag. */
    QUEUE_PREFIX: z.string().min(1).default('{sg}'),
    /**
     * HMAC secret of access tokens (and of refresh-token successors), at least 32 bytes.
     * Required unless NODE_ENV is development or test, where an unset one is random per process
     * (tokens then end when the process does). Never a value from this repository.
     */
    JWT_SECRET: z
      .string()
      .refine((v) => Buffer.byteLength(v) >= MIN_SECRET_BYTES, {
        message: `must be at least ${MIN_SECRET_BYTES} bytes`,
      })
      .optional(),
    JWT_ISSUER: z.string().min(1).default('socialgym'),
    JWT_AUDIENCE: z.string().min(1).default('socialgym-app'),
    /** Access token lifetime (default 15 minutes). */
    ACCESS_TOKEN_TTL: duration.default(900),
    /**
     * Longest an API process keeps a user's sessionVersion and role cached (default 5 minutes);
     * changes reach every process within a second anyway (api/middleware/principals.ts).
     */
    AUTH_CACHE_TTL: duration
      .default(300)
      .refine((v) => v >= 1 && v <= 3600, 'must be between 1s and 1h'),
    /** Refresh token lifetime (default 30 days). */
    REFRESH_TOKEN_TTL: duration.default(30 * 86400),
    /**
     * Seconds after its rotation in which a refresh token presented again (a retry, two requests
     * refreshing at once) gets the same successor instead of counting as reuse; 0 turns it off.
     */
    REFRESH_REUSE_GRACE_SEC: z.coerce.number().int().min(0).max(300).default(20),
    /** bcrypt cost factor; 4 is fine for tests, 12 for production. */
    BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(12),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** HTTP Basic credentials for /admin/queues; Bull Board is disabled when unset. */
    ADMIN_USER: z.string().min(1).optional(),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    /** Bull Board shows queues and jobs but refuses every change (retry, clean, pause…). */
    BULL_BOARD_READ_ONLY: bool.default(false),
    /**
     * Bearer token for /metrics (API and workers). Unset: open in development and test, not
     * served at all (404) in production.
     */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Comma-separated allowed browser origins; empty means no cross-origin access. */
    CORS_ORIGINS: csv.default([]),
    /**
     * Failed logins (401s only) allowed for one account from one client address, and from one
     * address over all accounts, in RATE_LIMIT_LOGIN_WINDOW. Failed Bull Board authentication
     * is limited by the same numbers.
     */
    RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: z.coerce.number().int().min(1).default(10),
    RATE_LIMIT_LOGIN_PER_IP: z.coerce.number().int().min(1).default(100),
    RATE_LIMIT_LOGIN_WINDOW: duration.default(15 * 60),
    /**
     * The slower ceiling: failed logins for one account from every address together in
     * RATE_LIMIT_LOGIN_ACCOUNT_WINDOW. Must exceed what one address can reach in that window,
     * so guessing from one address never locks the owner out elsewhere (checked at start).
     */
    RATE_LIMIT_LOGIN_PER_ACCOUNT: z.coerce.number().int().min(1).default(100),
    RATE_LIMIT_LOGIN_ACCOUNT_WINDOW: duration.default(60 * 60),
    /** Signups and refreshes allowed per IP per minute (an office NAT creates a few dozen). */
    RATE_LIMIT_SIGNUP_PER_IP: z.coerce.number().int().min(1).default(300),
    RATE_LIMIT_REFRESH_PER_IP: z.coerce.number().int().min(1).default(300),
    /** Practice submits per user per minute (429 RATE_LIMITED past it; generous for a person). */
    RATE_LIMIT_SUBMITS_PER_USER: z.coerce.number().int().min(1).default(30),
    /** A user's sessions QUEUED or PROCESSING at once; a submit past it answers 429. */
    SUBMIT_MAX_IN_FLIGHT_PER_USER: z.coerce.number().int().min(1).default(10),
    /** List reads (sessions, ledger) per user per minute (429 RATE_LIMITED past it). */
    RATE_LIMIT_READS_PER_USER: z.coerce.number().int().min(1).default(120),
    /**
     * Account exports (GET /v1/account/export: every row and stored clip of the user, a heavy
     * read) per user per hour (429 RATE_LIMITED past it).
     */
    RATE_LIMIT_EXPORTS_PER_USER: z.coerce.number().int().min(1).default(5),
    /**
     * Scoring order: `fair` queues each session behind every other user's sessions with fewer in
     * flight (BullMQ job priority = the user's sessions already waiting + 1), so one user's backlog
     * cannot starve others; `fifo` scores strictly in arrival order.
     */
    SCORING_ORDER: z.enum(['fair', 'fifo']).default('fair'),
    /** Longest wait of the apply transaction for a row lock before the attempt fails and retries. */
    APPLY_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    /** Submits answer 503 OVERLOADED while this many are already in progress in the process… */
    OVERLOAD_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(64),
    /** …while more scoring jobs than this wait… */
    OVERLOAD_MAX_QUEUED_JOBS: z.coerce.number().int().min(0).default(5000),
    /** …or while the API's event loop lags by more than this (p99 over the last half second). */
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(1).default(250),
    /** Express "trust proxy" hops, so req.ip is the client behind a load balancer. */
    TRUST_PROXY: z.coerce.number().int().min(0).default(0),
    /** Port of each worker process's own /metrics; 0 turns it off. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
    /**
     * Address the worker's /metrics listens on: loopback unless a scraper elsewhere needs it
     * (e.g. 0.0.0.0 in a container); anything but loopback needs METRICS_TOKEN.
     */
    WORKER_METRICS_HOST: z
      .string()
      .regex(/^[\w.:-]+$/, 'must be an IP address or a host name')
      .default('127.0.0.1'),
    /**
     * Niceness of a worker process (0-19): on a machine shared with the API, a worker at 10
     * scores with the CPU the API leaves, so submits stay fast while a backlog drains.
     */
    WORKER_NICE: z.coerce.number().int().min(0).max(19).default(0),
    /** Scoring jobs a worker process runs at once. */
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
    /**
     * Most sessions a worker claims, or applies, in one statement (one round trip, one commit):
     * jobs that reach the step while earlier statements run go together. 1: each on its own.
     */
    WORKER_WRITE_BATCH: z.coerce.number().int().min(1).max(64).default(16),
    /**
     * Most submits an API process stores in one statement (one round trip, one commit): submits
     * that arrive while its earlier submit statements run go together. 1: each on its own.
     */
    SUBMIT_BATCH: z.coerce.number().int().min(1).max(64).default(16),
    /** Database connections per API process. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** Scoring jobs started per second across all workers (BullMQ's global limiter). */
    SCORING_JOBS_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(1000),
    /** Attempts per scoring job before the session is FAILED. */
    JOB_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    /** Job lock in ms: a worker that dies is noticed (stalled) and its jobs retried after this. */
    JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    /** Seconds a QUEUED session may wait before the sweeper re-enqueues it. */
    SWEEP_QUEUED_AFTER_SEC: z.coerce.number().int().min(1).default(10),
    /** Hours an Idempotency-Key is kept (the contract promises at least 24). */
    IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(24).default(24),
    /** AiCore provider: heuristic (offline, deterministic) or openai (an LLM judge). */
    SCORING_PROVIDER: z.enum(['heuristic', 'openai']).default('heuristic'),
    /** Key of the OpenAI(-compatible) endpoint; required when anything uses it. */
    OPENAI_API_KEY: z.string().min(1).optional(),
    /** Any OpenAI-compatible server (Azure OpenAI, vLLM, Ollama, llama.cpp); unset: api.openai.com. */
    OPENAI_BASE_URL: z.url().optional(),
    /** Chat model that judges sessions (structured outputs). */
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    /** Per-request timeout of the scoring call, in ms (SCORING.md: about 20 s). */
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(20_000),
    /** SDK retries per call (the queue retries the job too, so keep it small). */
    OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
    /** After the final failed attempt: score with the heuristic, or FAIL the session. */
    SCORING_FALLBACK: z.enum(['heuristic', 'fail']).default('heuristic'),
    /**
     * Speech-to-text for audio uploads: openai (any OpenAI-compatible /audio/transcriptions) or
     * none (uploads answer 503). Default: openai when a key for it is set, else none.
     */
    TRANSCRIPTION_PROVIDER: z.enum(['openai', 'none']).optional(),
    /** whisper-1 (verbose_json: duration and word timings) or gpt-4o-mini-transcribe, etc. */
    TRANSCRIPTION_MODEL: z.string().min(1).default('whisper-1'),
    /** Speech server; unset: OPENAI_BASE_URL (and then the OpenAI key is used too). */
    TRANSCRIPTION_BASE_URL: z.url().optional(),
    /** Speech server key; unset: OPENAI_API_KEY, but only when TRANSCRIPTION_BASE_URL is unset. */
    TRANSCRIPTION_API_KEY: z.string().min(1).optional(),
    /** Transcriptions one worker process runs at once (each holds a clip of up to 25 MiB). */
    TRANSCRIPTION_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    /** Audio uploads one API process reads at once (up to 25 MiB each); more answer 503. */
    AUDIO_UPLOADS_IN_FLIGHT: z.coerce.number().int().min(1).max(256).default(4),
    /** Hours the clip of a FAILED voice session is kept for an ops retry, then deleted. */
    VOICE_CLIP_RETENTION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    /** Per-request timeout of a transcription, in ms. */
    TRANSCRIPTION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
    /**
     * The mailer's SMTP server (smtp:// or smtps://, credentials in the URL, nodemailer's query
     * options allowed). Unset: mail is off; password-reset requests still answer 202 and are logged.
     */
    SMTP_URL: z
      .url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' })
      .optional(),
    /** Sender of every email, `address` or `Name <address>`; required with SMTP_URL. */
    MAIL_FROM: z
      .string()
      .refine(isMailbox, { message: 'must be an email address or Name <address>' })
      .optional(),
    /**
     * The app's password-reset page (http or https; https in production); the emailed link is this
     * URL with `token=<token>` added to its query. Required with SMTP_URL.
     */
    APP_RESET_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
      .optional(),
    /**
     * Password-reset requests per client address, and per named account, in
     * RATE_LIMIT_RESET_WINDOW (429 past them); confirmations per address use the address limit too.
     */
    RATE_LIMIT_RESET_PER_IP: z.coerce.number().int().min(1).default(30),
    RATE_LIMIT_RESET_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
    RATE_LIMIT_RESET_WINDOW: duration.default(60 * 60),
    /** Dev/test routes such as POST /v1/sessions/mock. */
    ENABLE_DEV_ROUTES: bool.default(false),
    FEATURE_CHAT: bool.default(false),
    FEATURE_POWERUPS: bool.default(false),
  })
  .transform((c) => {
    // The OpenAI key goes only where the OpenAI base URL goes: a separate speech server gets
    // its own key (any value if it needs none), never ours.
    const transcriptionKey =
      c.TRANSCRIPTION_API_KEY ?? (c.TRANSCRIPTION_BASE_URL ? undefined : c.OPENAI_API_KEY);
    return {
      ...c,
      // Development and test without a secret: a random one, so no committed value is ever used.
      JWT_SECRET: c.JWT_SECRET ?? randomBytes(32).toString('base64url'),
      TRANSCRIPTION_PROVIDER: c.TRANSCRIPTION_PROVIDER ?? (transcriptionKey ? 'openai' : 'none'),
      TRANSCRIPTION_API_KEY: transcriptionKey,
      TRANSCRIPTION_BASE_URL: c.TRANSCRIPTION_BASE_URL ?? c.OPENAI_BASE_URL,
    };
  });

export type Config = Readonly<z.infer<typeof schema>>;

/** Parses an environment; throws one error naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  const issues = [
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...crossFieldIssues(cleaned),
    ...(result.success ? loginCeilingIssues(result.data) : []),
  ];
  if (!result.success || issues.length > 0) {
    throw new Error(`Invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
  }
  return Object.freeze(result.data);
}

/** For entry points: parses `process.env`, or prints every bad variable and exits. */
export function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    // Entry points import this first: a bad environment stops the process before anything starts.
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
