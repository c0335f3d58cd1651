import type { PracticeSession, PrismaClient } from '../db.js';

/** The columns a session view shows (API.md); `input` and voice clips are never among them. */
export type SessionViewRow = Pick<
  PracticeSession,
  | 'id'
  | 'status'
  | 'mode'
  | 'topic'
  | 'personaId'
  | 'templateId'
  | 'score'
  | 'isSuccess'
  | 'aiSummary'
  | 'aiCorePayload'
  | 'errorCode'
  | 'errorMessage'
  | 'createdAt'
  | 'completedAt'
>;

export interface ListPage {
  userId: string;
  limit: number;
  /** Rows strictly after this one in (createdAt desc, id desc) order. */
  after: { createdAt: Date; id: string } | null;
}

/**
 * One page of a user's sessions, newest first, with only what a list item shows: the per-message
 * AI output (`aiSummary.ai`, `aiCorePayload.messages`) is cut in Postgres, so a page of long
 * sessions is a few KB per row instead of everything stored. Fetches `limit + 1` rows (the extra
 * one says whether there is a next page).
 */
export function listSessions(prisma: PrismaClient, q: ListPage): Promise<SessionViewRow[]> {
  // Timestamps are UTC `timestamp(3)` columns: the cursor travels as an ISO string and is read
  // as UTC whatever the session's TimeZone.
  const afterAt = q.after?.createdAt.toISOString() ?? null;
  const afterId = q.after?.id ?? null;
  return prisma.$queryRaw<SessionViewRow[]>`
    SELECT "id", "status"::text AS "status", "mode"::text AS "mode", "topic", "personaId",
      "templateId", "score", "isSuccess", "aiSummary" - 'ai' AS "aiSummary",
      "aiCorePayload" - 'messages' AS "aiCorePayload", "errorCode", "errorMessage",
      "createdAt", "completedAt"
    FROM "PracticeSession"
    WHERE "userId" = ${q.userId}
      AND (${afterAt}::timestamptz IS NULL
           OR ("createdAt", "id") < (${afterAt}::timestamptz AT TIME ZONE 'UTC', ${afterId}::text))
    ORDER BY "createdAt" DESC, "id" DESC
    LIMIT ${q.limit + 1}`;
}
