import { createHash } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import stringify from 'safe-stable-stringify';
import type { PracticeMissionTemplate, PrismaClient } from '../../shared/db.js';
import { AppError, badRequest } from '../../shared/errors.js';
import { templateLimitViolation, type TemplateLimits } from '../../shared/fair-play/index.js';
import { enqueueScoring } from '../../shared/queue/producer.js';
import type { StoredInput } from '../../shared/sessions/input.js';
import {
  findLiveKey,
  keyReused,
  submitSession,
  type AcceptedSession,
} from '../../shared/sessions/submit.js';
import type { AppDeps } from '../deps.js';
import { principalOf } from '../middleware/auth.js';
import { IdempotencyKeySchema } from './schemas.js';
import { acceptedView, isTerminal, sessionView, statusUrl } from './views.js';

interface IdempotencyContext {
  key: string;
  route: string;
  fingerprint: string;
}

/** What a key promises: the route and the body as sent (key order does not matter). */
function fingerprintOf(route: string, body: unknown): string {
  return createHash('sha256')
    .update(`${route}\n${stringify(body ?? {})}`)
    .digest('hex');
}

/**
 * The Idempotency-Key gate of every practice POST, before validation: a missing, malformed or
 * repeated key answers 400 IDEMPOTENCY_KEY_REQUIRED; otherwise the key and the request's fingerprint are noted
 * for `submitPractice` (which claims the key in the same statement as the insert) and for
 * `replayOnRefusal` (which looks the key up only when the request is refused). No database work
 * on the way in.
 */
export function idempotencyGate(
  route: string,
  bodyOf: (req: Request) => unknown = (req) => req.body,
): RequestHandler {
  return (req, res, next) => {
    // Node joins a repeated header into "a, b": a header given more than once is refused.
    const sent = req.headersDistinct['idempotency-key'] ?? [];
    const parsed = IdempotencyKeySchema.safeParse(sent.length === 1 ? sent[0] : undefined);
    if (!parsed.success) {
      throw badRequest(
        'IDEMPOTENCY_KEY_REQUIRED',
        'Send an Idempotency-Key header of 1-255 printable ASCII characters (a UUID is recommended)',
      );
    }
    const context: IdempotencyContext = {
      key: parsed.data,
      route,
      fingerprint: fingerprintOf(route, bodyOf(req)),
    };
    res.locals.idempotency = context;
    next();
  };
}

/**
 * A request refused with a 400 (invalid body, unknown template…) may still carry a live key: the
 * same request again replays its session (even if, say, its template was deactivated since), and
 * another request under the key answers 422 IDEMPOTENCY_KEY_REUSED. The key is checked before
 * the refusal is believed, so only refused requests pay for the lookup.
 */
export function replayOnRefusal(deps: AppDeps): ErrorRequestHandler {
  return async (err: unknown, _req, res, next) => {
    const context = res.locals.idempotency as IdempotencyContext | undefined;
    if (!(err instanceof AppError) || err.status !== 400 || !context || res.headersSent) {
      next(err);
      return;
    }
    const live = await findLiveKey(deps.prisma, principalOf(res).id, context.key);
    if (!live) {
      next(err);
      return;
    }
    await answerExisting(deps, res, context, live);
  };
}

/** A template's message limits, cached (limits change only with the seed); null: no such id. */
export function templateLimitsCache(prisma: PrismaClient) {
  type Limits = Pick<PracticeMissionTemplate, 'maxMessages' | 'wordLimit'>;
  const cache = new LRUCache<string, { limits: Limits | null }>({
    max: 10_000,
    // Whether the template is active is checked by the submit statement itself; only its
    // limits come from here, at most a minute old.
    ttl: 60_000,
    fetchMethod: async (id) => ({
      limits: await prisma.practiceMissionTemplate.findUnique({
        where: { id },
        select: { maxMessages: true, wordLimit: true },
      }),
    }),
  });
  return async (templateId: string): Promise<Limits> => {
    const found = await cache.fetch(templateId);
    if (!found?.limits) throw badRequest('TEMPLATE_NOT_FOUND', 'No active template with this id');
    return found.limits;
  };
}

/**
 * A template's maxMessages / wordLimit apply to the USER messages of every mode (a voice
 * transcript is one message, an A/B option is one message): 400 TEMPLATE_LIMIT_EXCEEDED.
 */
export function checkTemplateLimits(limits: TemplateLimits, userMessages: string[]) {
  const violation = templateLimitViolation(limits, userMessages);
  if (violation) throw badRequest('TEMPLATE_LIMIT_EXCEEDED', violation);
}

export interface PracticeSubmission {
  input: StoredInput;
  /** An uploaded voice clip, stored in the same statement as the session. */
  clip?: { mimeType: string; bytes: Uint8Array };
  topic?: string | null | undefined;
  personaId?: string | null | undefined;
  templateId?: string | null | undefined;
}

/** A busy user's sessions are usually scored within seconds. */
const BUSY_RETRY_AFTER_SEC = 5;

const REFUSALS = {
  PERSONA_NOT_FOUND: 'No active persona with this id',
  TEMPLATE_NOT_FOUND: 'No active template with this id',
} as const;

/**
 * Claims the key and stores the QUEUED session in one statement, then enqueues scoring and
 * answers 202. If Redis is unreachable the session stays QUEUED and the sweeper enqueues it: an
 * accepted request is never lost. A re-send answers the session's current view, marked as a
 * replay; another request under a live key answers 422.
 */
export async function submitPractice(deps: AppDeps, res: Response, s: PracticeSubmission) {
  const userId = principalOf(res).id;
  const context = res.locals.idempotency as IdempotencyContext;
  const outcome = await submitSession(
    deps.prisma,
    {
      userId,
      ...context,
      input: s.input,
      topic: s.topic ?? null,
      personaId: s.personaId ?? null,
      templateId: s.templateId ?? null,
      ttlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
      maxInFlight: deps.config.SUBMIT_MAX_IN_FLIGHT_PER_USER,
      clip: s.clip ?? null,
    },
    deps.submitStatement ? { statement: deps.submitStatement } : {},
  );
  switch (outcome.kind) {
    case 'refused':
      throw badRequest(outcome.code, REFUSALS[outcome.code]);
    case 'existing':
      await answerExisting(deps, res, context, outcome.key);
      return;
    case 'busy':
      throw new AppError(
        'RATE_LIMITED',
        429,
        `You have ${String(outcome.inFlight)} sessions waiting for scoring; submit again when one has finished`,
        { headers: { 'Retry-After': String(BUSY_RETRY_AFTER_SEC) } },
      );
    case 'created':
      try {
        // Not connected to Redis: don't wait for it (BullMQ would, until the timeout). The
        // session row is the outbox: the sweeper enqueues it once Redis is back.
        if (deps.redis.status !== 'ready') throw new Error(`Redis is ${deps.redis.status}`);
        await enqueueScoring(deps.scoringQueue, deps.config, outcome.session.id, outcome.inFlight);
      } catch (err) {
        res.req.log.warn(
          { err, sessionId: outcome.session.id },
          'enqueue failed; the sweeper will pick it up',
        );
      }
      accepted(res, outcome.session, false);
  }
}

/** The same request again replays its session; another request under the key is refused. */
async function answerExisting(
  deps: AppDeps,
  res: Response,
  context: IdempotencyContext,
  key: { route: string; fingerprint: string; sessionId: string },
): Promise<void> {
  if (key.route !== context.route || key.fingerprint !== context.fingerprint) throw keyReused();
  const session = await deps.prisma.practiceSession.findUniqueOrThrow({
    where: { id: key.sessionId },
  });
  res.setHeader('Idempotent-Replayed', 'true');
  if (isTerminal(session)) {
    res.status(200).json(sessionView(session));
    return;
  }
  accepted(res, session, true);
}

/** 202 with the accepted body while the session runs. */
function accepted(res: Response, session: AcceptedSession, replayed: boolean): void {
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.setHeader('Location', statusUrl(session.id));
  res.setHeader('Retry-After', '1');
  res.status(202).json(acceptedView(session));
}
