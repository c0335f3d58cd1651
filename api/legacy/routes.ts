import { Router, type RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../shared/db.js';
import { notFound } from '../../shared/errors.js';
import { StoredInputSchema, conversationOf } from '../../shared/sessions/input.js';
import type { AppDeps } from '../deps.js';
import { principalOf, requireAuth } from '../middleware/auth.js';
import { notFoundRoute } from '../middleware/problem.js';
import { inputOf, validate } from '../middleware/validate.js';
import { route, type HeaderDoc } from '../shared/operations.js';
import { idempotencyGate, submitPractice } from '../practice/submit.js';
import { dashboardHandler } from '../stats/routes.js';
import { QUEUED_RESPONSES } from '../practice/responses.js';
import { DashboardResponse } from '../stats/schemas.js';
import { ChatMessageResponse, ChatMessageSchema, PowerupsResponse } from './schemas.js';
import { chatMessageView, powerupsView, type AppendedMessage } from './views.js';

/** When the deprecated dashboard aliases go away (RFC 8594 Sunset, an HTTP date). */
const SUNSET = 'Wed, 30 Jun 2027 00:00:00 GMT';

const DEPRECATION_HEADERS: Record<string, HeaderDoc> = {
  Deprecation: { description: 'Always `true`' },
  Sunset: { description: 'When the alias goes away (HTTP date)' },
  Link: { description: '`</v1/stats/dashboard>; rel="successor-version"`' },
};

const deprecated: RequestHandler = (_req, res, next) => {
  res.setHeader('Deprecation', 'true');
  res.setHeader('Sunset', SUNSET);
  res.setHeader('Link', '</v1/stats/dashboard>; rel="successor-version"');
  next();
};

/** A flag that is off makes the route not exist (404), as API.md asks. */
const flag =
  (on: boolean): RequestHandler =>
  (req, res, next) => {
    if (on) next();
    else notFoundRoute(req, res, next);
  };

/** The fixed sample conversation of POST /v1/sessions/mock. */
export const MOCK_CONVERSATION = [
  {
    role: 'AI' as const,
    content: 'Hi! I spent Saturday at a pottery workshop, my hands are still covered in clay',
  },
  {
    role: 'USER' as const,
    content: 'Fun! What did you make? I have always wanted to try the wheel',
  },
  { role: 'AI' as const, content: 'A slightly wonky mug. It holds coffee, mostly' },
  {
    role: 'USER' as const,
    content: "A wonky mug has character. Let's test it over coffee on Sunday?",
  },
];

/**
 * Appends a USER message in one statement: the index comes from the session row
 * (`chatNextIndex`, at least `firstFree`) by UPDATE … RETURNING, so racing appends queue on the
 * row lock and each gets the next index — no collision, no retry, never a 500.
 */
async function appendMessage(
  prisma: PrismaClient,
  sessionId: string,
  content: string,
  firstFree: number,
): Promise<AppendedMessage> {
  const [row] = await prisma.$queryRaw<AppendedMessage[]>`
    WITH slot AS (
      UPDATE "PracticeSession" SET "chatNextIndex" = greatest("chatNextIndex", ${firstFree}::int) + 1
      WHERE "id" = ${sessionId}
      RETURNING "chatNextIndex" - 1 AS "index"
    )
    INSERT INTO "ChatMessage" ("id", "sessionId", "index", "role", "content", "createdAt")
    SELECT ${randomUUID()}, ${sessionId}, slot."index", 'USER', ${content},
      (now() AT TIME ZONE 'UTC')::timestamp(3)
    FROM slot
    RETURNING "id", "index", "role"::text AS "role", "content", "createdAt"`;
  if (!row) throw notFound('SESSION_NOT_FOUND', 'No such session');
  return row;
}

export function legacyRoutes(deps: AppDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);
  const dashboard = dashboardHandler(deps);

  for (const path of ['/dashboard/summary', '/sessions/dashboard/summary']) {
    route(
      router,
      {
        method: 'get',
        path,
        summary: 'Deprecated alias of /v1/stats/dashboard',
        auth: true,
        ok: {
          200: {
            description: 'Dashboard (deprecated: see the Link header)',
            schema: DashboardResponse,
            headers: DEPRECATION_HEADERS,
          },
        },
        problems: ['USER_NOT_FOUND'],
      },
      auth,
      deprecated,
      dashboard,
    );
  }

  route(
    router,
    {
      method: 'post',
      path: '/sessions/mock',
      summary: 'Dev only (ENABLE_DEV_ROUTES, else 404): run the pipeline on a sample',
      auth: true,
      idempotent: true,
      ok: QUEUED_RESPONSES,
      problems: ['ROUTE_NOT_FOUND', 'RATE_LIMITED'],
    },
    flag(deps.config.ENABLE_DEV_ROUTES),
    auth,
    idempotencyGate('POST /v1/sessions/mock'),
    async (req, res) => {
      await submitPractice(deps, res, {
        input: { mode: 'text', messages: MOCK_CONVERSATION },
        topic: 'Mock session',
      });
    },
  );

  const chat = { body: ChatMessageSchema };
  route(
    router,
    {
      method: 'post',
      path: '/chat/message',
      summary: 'FEATURE_CHAT (else 404): append a USER message to an own session',
      auth: true,
      request: chat,
      ok: { 201: { description: 'Appended', schema: ChatMessageResponse } },
      problems: ['ROUTE_NOT_FOUND', 'SESSION_NOT_FOUND'],
    },
    flag(deps.config.FEATURE_CHAT),
    auth,
    validate(chat),
    async (_req, res) => {
      const { sessionId, content } = inputOf(res, chat).body;
      const session = await deps.prisma.practiceSession.findFirst({
        where: { id: sessionId, userId: principalOf(res).id },
        select: { id: true, input: true },
      });
      if (!session) throw notFound('SESSION_NOT_FOUND', 'No such session');
      // Scoring writes the submitted conversation at indexes 0..n-1 when it completes, so appended
      // messages start at n whatever the session's state, and never collide with it.
      const stored = StoredInputSchema.safeParse(session.input);
      const firstFree = stored.success ? conversationOf(stored.data).length : 0;
      const message = await appendMessage(deps.prisma, sessionId, content, firstFree);
      res.status(201).json(chatMessageView(sessionId, message));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/powerups/available',
      summary: 'FEATURE_POWERUPS (else 404): the power-up catalog',
      auth: true,
      ok: { 200: { description: 'Power-ups', schema: PowerupsResponse } },
      problems: ['ROUTE_NOT_FOUND'],
    },
    flag(deps.config.FEATURE_POWERUPS),
    auth,
    async (_req, res) => {
      const userId = principalOf(res).id;
      const [types, usages] = await Promise.all([
        deps.prisma.powerUpType.findMany({ where: { active: true }, orderBy: { gemCost: 'asc' } }),
        deps.prisma.powerUpUsage.findMany({
          where: { userId },
          orderBy: { createdAt: 'desc' },
          take: 50,
          include: { powerUpType: { select: { code: true } } },
        }),
      ]);
      res.json(powerupsView(types, usages));
    },
  );

  return router;
}
