import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Config } from '../../shared/config.js';
import type { Redis } from '../../shared/redis.js';
import { principalOf } from './auth.js';
import { sendProblem } from './problem.js';

interface LimitSpec {
  name: string;
  limit: number;
  windowSec: number;
  key: (req: Request, res: Response) => string;
  /** Count only failed requests (failed logins). */
  failuresOnly?: boolean;
}

/**
 * A Redis-backed limiter shared by every API process. When Redis is down the request passes
 * (readiness reports the outage) rather than locking everybody out.
 */
function limiter(redis: Redis, prefix: string, spec: LimitSpec): RequestHandler {
  const options: Partial<Options> = {
    windowMs: spec.windowSec * 1000,
    limit: spec.limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    passOnStoreError: true,
    skipFailedRequests: false,
    skipSuccessfulRequests: spec.failuresOnly ?? false,
    keyGenerator: spec.key,
    store: new RedisStore({
      prefix: `${prefix}:rl:${spec.name}:`,
      sendCommand: scriptTolerantSender(redis),
    }),
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

const ip = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
const accountKey = (req: Request) => {
  const body = req.body as { email?: unknown } | undefined;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : 'none';
};

export interface AuthLimiters {
  login: RequestHandler[];
  signup: RequestHandler;
  refresh: RequestHandler;
}

export function authLimiters(config: Config, redis: Redis): AuthLimiters {
  const prefix = config.QUEUE_PREFIX;
  const window = config.RATE_LIMIT_LOGIN_WINDOW;
  return {
    login: [
      limiter(redis, prefix, {
        name: 'login-ip',
        limit: config.RATE_LIMIT_LOGIN_PER_IP,
        windowSec: window,
        key: ip,
        failuresOnly: true,
      }),
      limiter(redis, prefix, {
        name: 'login-account',
        limit: config.RATE_LIMIT_LOGIN_PER_ACCOUNT,
        windowSec: window,
        key: accountKey,
        failuresOnly: true,
      }),
    ],
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
