import { Prisma, type PracticeSession, type PrismaClient } from '../db.js';

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
  | 'walletAfter'
  | 'errorCode'
  | 'errorMessage'
  | 'createdAt'
  | 'completedAt'
>;

/** The single-session view also shows what was submitted (`input`), which lists leave out. */
export type SessionDetailRow = SessionViewRow & Pick<PracticeSession, 'input'>;

/** Which of a user's sessions a list shows (each field absent: any). */
export interface SessionFilter {
  mode?: PracticeSession['mode'] | undefined;
  status?: PracticeSession['status'] | undefined;
  templateId?: string | undefined;
}

export interface ListPage {
  userId: string;
  limit: number;
  /** Rows strictly after this one in (createdAt desc, id desc) order. */
  after: { createdAt: Date; id: string } | null;
  filter?: SessionFilter;
}

/**
 * One page of a user's sessions, newest first, with only what a list item shows: the per-message
 * AI output (`aiSummary.ai`, `aiCorePayload.messages`) is cut in Postgres and the submitted input
 * is not read, so a page of long sessions is a few KB per row instead of everything stored.
 * Fetches `limit + 1` rows (the extra one says whether there is a next page).
 *
 * Each filter is added only when given (never `$x IS NULL OR …`), so the planner sees the plain
 * predicate and picks the index for it: the partial (userId, templateId, createdAt) for a template;
 * for a status (userId, status) (the few QUEUED, PROCESSING or FAILED rows) or (userId, createdAt)
 * walked newest first (COMPLETED, most rows); (userId, createdAt) for a mode. Migration
 * 20261126042000_session_history has the measurements behind this choice.
 */
export function listSessions(prisma: PrismaClient, q: ListPage): Promise<SessionViewRow[]> {
  // Timestamps are UTC `timestamp(3)` columns: the cursor travels as an ISO string and is read
  // as UTC whatever the session's TimeZone.
  const after = q.after
    ? Prisma.sql`AND ("createdAt", "id") < (${q.after.createdAt.toISOString()}::timestamptz AT TIME ZONE 'UTC', ${q.after.id}::text)`
    : Prisma.empty;
  const { mode, status, templateId } = q.filter ?? {};
  const byMode = mode ? Prisma.sql`AND "mode" = ${mode}::"PracticeMode"` : Prisma.empty;
  const byStatus = status ? Prisma.sql`AND "status" = ${status}::"SessionStatus"` : Prisma.empty;
  const byTemplate = templateId ? Prisma.sql`AND "templateId" = ${templateId}` : Prisma.empty;
  return prisma.$queryRaw<SessionViewRow[]>`
    SELECT "id", "status"::text AS "status", "mode"::text AS "mode", "topic", "personaId",
      "templateId", "score", "isSuccess", "aiSummary" - 'ai' AS "aiSummary",
      "aiCorePayload" - 'messages' AS "aiCorePayload", "walletAfter", "errorCode", "errorMessage",
      "createdAt", "completedAt"
    FROM "PracticeSession"
    WHERE "userId" = ${q.userId} ${byMode} ${byStatus} ${byTemplate} ${after}
    ORDER BY "createdAt" DESC, "id" DESC
    LIMIT ${q.limit + 1}`;
}
