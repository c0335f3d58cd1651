import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import stringify from 'safe-stable-stringify';
import type { PracticeMissionTemplate, PrismaClient } from '../../shared/db.js';
import { badRequest } from '../../shared/errors.js';
import { enqueueScoring } from '../../shared/queue/producer.js';
import type { StoredInput } from '../../shared/sessions/input.js';
import { submitSession } from '../../shared/sessions/submit.js';
import type { AppDeps } from '../deps.js';
import { principalOf } from '../middleware/auth.js';
import { IdempotencyKeySchema } from './schemas.js';
import { acceptedView, isTerminal, sessionView, statusUrl } from './views.js';

/** Requires a well-formed Idempotency-Key header and keeps it in `res.locals.idempotencyKey`. */
export const requireIdempotencyKey: RequestHandler = (req, res, next) => {
  const parsed = IdempotencyKeySchema.safeParse(req.get('Idempotency-Key'));
  if (!parsed.success) {
    throw badRequest(
      'IDEMPOTENCY_KEY_REQUIRED',
      'Send an Idempotency-Key header of 1-255 printable ASCII characters (a UUID is recommended)',
    );
  }
  res.locals.idempotencyKey = parsed.data;
  next();
};

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
  route: string;
  rawBody: unknown;
  input: StoredInput;
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
  const fingerprint = createHash('sha256')
    .update(`${s.route}\n${stringify(s.rawBody) ?? ''}`)
    .digest('hex');
  const outcome = await submitSession(deps.prisma, {
    userId,
    key: res.locals.idempotencyKey as string,
    route: s.route,
    fingerprint,
    input: s.input,
    topic: s.topic ?? null,
    personaId: s.personaId ?? null,
    templateId: s.templateId ?? null,
    ttlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
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
  } else {
    res.setHeader('Idempotent-Replayed', 'true');
  }
  if (isTerminal(session)) {
    res.status(200).json({ ok: true, ...sessionView(session) });
    return;
  }
  res.setHeader('Location', statusUrl(session.id));
  res.setHeader('Retry-After', '1');
  res.status(202).json(acceptedView(session));
}
