import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import stringify from 'safe-stable-stringify';
import type { PracticeMissionTemplate, PracticeSession, PrismaClient } from '../../shared/db.js';
import { badRequest } from '../../shared/errors.js';
import { enqueueScoring } from '../../shared/queue/producer.js';
import type { StoredInput } from '../../shared/sessions/input.js';
import { keyReused, submitSession } from '../../shared/sessions/submit.js';
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
 * The Idempotency-Key gate of every practice POST, after authentication and before validation:
 * a missing or malformed key answers 400 IDEMPOTENCY_KEY_REQUIRED; a live key of this user with
 * another route or body answers 422 IDEMPOTENCY_KEY_REUSED; the same request again replays the
 * session's current view. Only a new key goes on to validation and `submitPractice`.
 */
export function idempotencyGate(
  deps: AppDeps,
  route: string,
  bodyOf: (req: Request, res: Response) => unknown = (req) => req.body,
): RequestHandler {
  return async (req, res, next) => {
    const parsed = IdempotencyKeySchema.safeParse(req.get('Idempotency-Key'));
    if (!parsed.success) {
      throw badRequest(
        'IDEMPOTENCY_KEY_REQUIRED',
        'Send an Idempotency-Key header of 1-255 printable ASCII characters (a UUID is recommended)',
      );
    }
    const context: IdempotencyContext = {
      key: parsed.data,
      route,
      fingerprint: fingerprintOf(route, bodyOf(req, res)),
    };
    res.locals.idempotency = context;
    const existing = await deps.prisma.idempotencyKey.findUnique({
      where: { userId_key: { userId: principalOf(res).id, key: context.key } },
    });
    if (!existing || existing.expiresAt <= new Date()) {
      next();
      return;
    }
    if (existing.route !== route || existing.fingerprint !== context.fingerprint) {
      throw keyReused();
    }
    const session = await deps.prisma.practiceSession.findUnique({
      where: { id: existing.sessionId },
    });
    if (!session) {
      next();
      return;
    }
    respondWithSession(res, session, true);
  };
}

export interface CatalogRefs {
  personaId?: string | null | undefined;
  templateId?: string | null | undefined;
}

/** Checks that the referenced persona and template exist and are active. */
export async function resolveRefs(
  prisma: PrismaClient,
  refs: CatalogRefs,
): Promise<PracticeMissionTemplate | null> {
  const [persona, template] = await Promise.all([
    refs.personaId
      ? prisma.aiPersona.findFirst({
          where: { id: refs.personaId, active: true },
          select: { id: true },
        })
      : null,
    refs.templateId
      ? prisma.practiceMissionTemplate.findFirst({ where: { id: refs.templateId, active: true } })
      : null,
  ]);
  if (refs.personaId && !persona)
    throw badRequest('PERSONA_NOT_FOUND', 'No active persona with this id');
  if (refs.templateId && !template) {
    throw badRequest('TEMPLATE_NOT_FOUND', 'No active template with this id');
  }
  return template;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** A template's maxMessages / wordLimit apply to the USER messages. */
export function checkTemplateLimits(
  template: PracticeMissionTemplate | null,
  userMessages: string[],
) {
  if (!template) return;
  if (template.maxMessages !== null && userMessages.length > template.maxMessages) {
    throw badRequest(
      'TEMPLATE_LIMIT_EXCEEDED',
      `This mission allows at most ${template.maxMessages} USER messages`,
    );
  }
  const limit = template.wordLimit;
  if (limit !== null && userMessages.some((m) => wordCount(m) > limit)) {
    throw badRequest(
      'TEMPLATE_LIMIT_EXCEEDED',
      `This mission allows at most ${limit} words per message`,
    );
  }
}

export interface PracticeSubmission {
  input: StoredInput;
  /** An uploaded voice clip, stored in the same transaction as the session. */
  clip?: { mimeType: string; bytes: Uint8Array };
  topic?: string | null | undefined;
  personaId?: string | null | undefined;
  templateId?: string | null | undefined;
}

/**
 * Claims the key and stores the QUEUED session (one transaction), then enqueues scoring and answers
 * 202. If Redis is unreachable the session stays QUEUED and the sweeper enqueues it: an accepted
 * request is never lost. A re-send answers the session's current view, marked as a replay.
 */
export async function submitPractice(deps: AppDeps, res: Response, s: PracticeSubmission) {
  const userId = principalOf(res).id;
  const { key, route, fingerprint } = res.locals.idempotency as IdempotencyContext;
  const outcome = await submitSession(deps.prisma, {
    userId,
    key,
    route,
    fingerprint,
    input: s.input,
    topic: s.topic ?? null,
    personaId: s.personaId ?? null,
    templateId: s.templateId ?? null,
    ttlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
    clip: s.clip ?? null,
  });
  const { session } = outcome;
  if (outcome.created) {
    try {
      await enqueueScoring(deps.scoringQueue, deps.config, session.id);
    } catch (err) {
      res.req.log.warn(
        { err, sessionId: session.id },
        'enqueue failed; the sweeper will pick it up',
      );
    }
  }
  respondWithSession(res, session, !outcome.created);
}

/** 202 with the accepted body while the session runs; 200 with the full view once it is done. */
function respondWithSession(res: Response, session: PracticeSession, replayed: boolean): void {
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
  if (isTerminal(session)) {
    res.status(200).json({ ok: true, ...sessionView(session) });
    return;
  }
  res.setHeader('Location', statusUrl(session.id));
  res.setHeader('Retry-After', '1');
  res.status(202).json(acceptedView(session));
}
