import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Config } from '../../shared/config.js';
import type { Redis } from '../../shared/redis.js';
import { principalOf } from './auth.js';
import { FallbackStore } from './fallback-store.js';
import { signedInAccountOf } from './signed-in-account.js';
import { accountDigest } from './rate-limit-keys.js';
import { sendProblem } from './problem.js';

interface LimitSpec {
  name: string;
  limit: number;
  windowSec: number;
  key: (req: Request, res: Response) => string;
  /**
   * Count only wrong credentials: a request stays counted only when it was answered 401, so
   * successes, invalid input and 429s (this limiter's or another's) never use up the limit.
   */
  failedAuthOnly?: boolean;
  /** Requests this limiter neither counts nor limits. */
  skip?: (req: Request, res: Response) => boolean;
}

/**
 * A Redis-backed limiter shared by every API process. While Redis is down each process counts in
 * memory instead (FallbackStore): the limits hold per process rather than switching off.
 */
function limiter(redis: Redis, prefix: string, spec: LimitSpec): RequestHandler {
  const options: Partial<Options> = {
    windowMs: spec.windowSec * 1000,
    limit: spec.limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    passOnStoreError: true,
    skipFailedRequests: false,
    // Counted at once (so a burst cannot slip past), taken back when the answer is not a 401.
    skipSuccessfulRequests: spec.failedAuthOnly ?? false,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    keyGenerator: spec.key,
    ...(spec.skip ? { skip: spec.skip } : {}),
    store: new FallbackStore(
      new RedisStore({
        prefix: `${prefix}:rl:${spec.name}:`,
        sendCommand: scriptTolerantSender(redis),
      }),
    ),
    handler: (_req, res, _next, opts) => {
      sendProblem(res, {
        status: opts.statusCode,
        code: 'RATE_LIMITED',
        detail: 'Too many requests; try again later',
      });
    },
  };
  return rateLimit(options);
}

/**
 * The store loads its Lua scripts once at start-up; on a fail-fast connection that can happen
 * before Redis is reachable and would disable the limiter for good. So script loads are answered
 * locally (the SHA-1 of the script) and EVALSHA falls back to EVAL when Redis lacks the script.
 */
function scriptTolerantSender(redis: Redis) {
  const scripts = new Map<string, string>();
  return async (command: string, ...args: string[]): Promise<RedisReply> => {
    if (command === 'DECR' && args[0]) {
      // Taking back a hit: a counter that expired, or was swept (account deletion), since the
      // hit was counted must not come back as -1 without an expiry.
      return (await redis.call('EVAL', DECR_IF_PRESENT, '1', args[0])) as RedisReply;
    }
    if (command === 'SCRIPT' && args[0] === 'LOAD' && args[1]) {
      const sha = createHash('sha1').update(args[1]).digest('hex');
      scripts.set(sha, args[1]);
      return sha;
    }
    if (command === 'EVALSHA' && args[0]) {
      const [sha, ...rest] = args;
      try {
        return (await redis.call('EVALSHA', sha, ...rest)) as RedisReply;
      } catch (err) {
        const script = scripts.get(sha);
        if (!script || !String(err).includes('NOSCRIPT')) throw err;
        return (await redis.call('EVAL', script, ...rest)) as RedisReply;
      }
    }
    return (await redis.call(command, ...args)) as RedisReply;
  };
}

const DECR_IF_PRESENT =
  "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end return 0";

const ip = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

/**
 * The limits on failed authentication (API.md: logins, and Bull Board's admin login "like
 * logins"), counting only 401s:
 * - per client address over all accounts (RATE_LIMIT_LOGIN_PER_IP), against one address trying
 *   many accounts;
 * - per (account, address) (RATE_LIMIT_LOGIN_PER_ACCOUNT_IP): an address guessing one account is
 *   stopped, while the owner elsewhere still signs in;
 * - per account over all addresses, over a longer window (RATE_LIMIT_LOGIN_PER_ACCOUNT), against
 *   guessing spread over many addresses. Config checks that one address alone cannot reach it.
 * `accountOf` names the account a request tries (null: none, only the per-address limit applies).
 */
export function failedAuthLimiters(
  config: Config,
  redis: Redis,
  name: string,
  accountOf: (req: Request, res: Response) => string | null,
  skip?: (req: Request, res: Response) => boolean,
): RequestHandler[] {
  const prefix = config.QUEUE_PREFIX;
  const window = config.RATE_LIMIT_LOGIN_WINDOW;
  const noAccount = (req: Request, res: Response) =>
    (skip?.(req, res) ?? false) || accountOf(req, res) === null;
  const account = (req: Request, res: Response) => accountDigest(accountOf(req, res) ?? '');
  return [
    limiter(redis, prefix, {
      name: `${name}-ip`,
      limit: config.RATE_LIMIT_LOGIN_PER_IP,
      windowSec: window,
      key: ip,
      failedAuthOnly: true,
      ...(skip ? { skip } : {}),
    }),
    limiter(redis, prefix, {
      name: `${name}-account-ip`,
      limit: config.RATE_LIMIT_LOGIN_PER_ACCOUNT_IP,
      windowSec: window,
      key: (req, res) => `${account(req, res)}:${ip(req)}`,
      failedAuthOnly: true,
      skip: noAccount,
    }),
    limiter(redis, prefix, {
      name: `${name}-account`,
      limit: config.RATE_LIMIT_LOGIN_PER_ACCOUNT,
      windowSec: config.RATE_LIMIT_LOGIN_ACCOUNT_WINDOW,
      key: account,
      failedAuthOnly: true,
      skip: noAccount,
    }),
  ];
}

/**
 * The email a login or reset request names, normalised as the schemas do (invalid bodies answer
 * 400 anyway).
 */
const loginAccount = (req: Request) => {
  const body = req.body as { email?: unknown } | undefined;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : null;
};

export interface AuthLimiters {
  login: RequestHandler[];
  signup: RequestHandler;
  refresh: RequestHandler;
  /**
   * Wrong current passwords (behind requireAuth, after `loadSignedInAccount`): the failed-login
   * counters of the caller's account.
   */
  passwordChange: RequestHandler[];
  /** Reset requests per address and per named account (every request counts). */
  resetRequest: RequestHandler[];
  /** Reset confirmations per address. */
  resetConfirm: RequestHandler;
}

export function authLimiters(config: Config, redis: Redis): AuthLimiters {
  const prefix = config.QUEUE_PREFIX;
  return {
    login: failedAuthLimiters(config, redis, 'login', loginAccount),
    signup: limiter(redis, prefix, {
      name: 'signup-ip',
      limit: config.RATE_LIMIT_SIGNUP_PER_IP,
      windowSec: 60,
      key: ip,
    }),
    refresh: limiter(redis, prefix, {
      name: 'refresh-ip',
      limit: config.RATE_LIMIT_REFRESH_PER_IP,
      windowSec: 60,
      key: ip,
    }),
    // The login counters themselves, keyed by the account's email: a stolen access token is not
    // a second way to guess the password.
    passwordChange: failedAuthLimiters(
      config,
      redis,
      'login',
      (_req, res) => signedInAccountOf(res)?.email ?? null,
    ),
    ...resetLimiters(config, redis),
  };
}

/**
 * Password resets (RATE_LIMIT_RESET_*): every request counts, answered or refused, since each
 * may send an email. Per address against one client spraying many accounts; per named account
 * (its digest, whether or not it exists) so nobody's inbox can be flooded.
 */
function resetLimiters(
  config: Config,
  redis: Redis,
): Pick<AuthLimiters, 'resetRequest' | 'resetConfirm'> {
  const prefix = config.QUEUE_PREFIX;
  const windowSec = config.RATE_LIMIT_RESET_WINDOW;
  return {
    resetRequest: [
      limiter(redis, prefix, {
        name: 'reset-ip',
        limit: config.RATE_LIMIT_RESET_PER_IP,
        windowSec,
        key: ip,
      }),
      limiter(redis, prefix, {
        name: 'reset-account',
        limit: config.RATE_LIMIT_RESET_PER_ACCOUNT,
        windowSec,
        key: (req) => accountDigest(loginAccount(req) ?? ''),
        skip: (req) => loginAccount(req) === null,
      }),
    ],
    resetConfirm: limiter(redis, prefix, {
      name: 'reset-confirm-ip',
      limit: config.RATE_LIMIT_RESET_PER_IP,
      windowSec,
      key: ip,
    }),
  };
}

/**
 * Submits per user per minute (SCORING.md fair play: generous for a person). Behind requireAuth;
 * a 429 stores nothing.
 */
export function submitLimiter(config: Config, redis: Redis): RequestHandler {
  return limiter(redis, config.QUEUE_PREFIX, {
    name: 'submit-user',
    limit: config.RATE_LIMIT_SUBMITS_PER_USER,
    windowSec: 60,
    key: (_req, res) => principalOf(res).id,
  });
}

/**
 * List reads (sessions, ledger) per user per minute: a page can hold 100 rows, so a client that
 * loops over them must not slow every other user's reads. Behind requireAuth.
 */
export function readLimiter(config: Config, redis: Redis): RequestHandler {
  return limiter(redis, config.QUEUE_PREFIX, {
    name: 'read-user',
    limit: config.RATE_LIMIT_READS_PER_USER,
    windowSec: 60,
    key: (_req, res) => principalOf(res).id,
  });
}

/**
 * Account exports per user per hour: each reads every row and stored clip of the user, far more
 * than a list page. Behind requireAuth.
 */
export function exportLimiter(config: Config, redis: Redis): RequestHandler {
  return limiter(redis, config.QUEUE_PREFIX, {
    name: 'export-user',
    limit: config.RATE_LIMIT_EXPORTS_PER_USER,
    windowSec: 60 * 60,
    key: (_req, res) => principalOf(res).id,
  });
}
