import {
  prepared,
  type PracticeSession,
  type PreparedStatement,
  type PrismaClient,
} from '../db.js';

/** What scoring reads of a claimed session. */
export type ClaimedSession = Pick<
  PracticeSession,
  'userId' | 'input' | 'topic' | 'personaId' | 'templateId' | 'createdAt'
>;

/** A named prepared statement on Prisma's pool (db.ts `prepared`): every session runs it. */
export const CLAIM: PreparedStatement = {
  name: 'sg_claim_v2',
  text: `
    UPDATE "PracticeSession"
    SET "status" = 'PROCESSING', "startedAt" = $2::timestamptz AT TIME ZONE 'UTC',
        "attempts" = "attempts" + 1
    WHERE "id" = $1::text AND "status" IN ('QUEUED', 'PROCESSING', 'FAILED')
    RETURNING "userId", "input", "topic", "personaId", "templateId",
      "createdAt" AT TIME ZONE 'UTC' AS "createdAt"`,
};

/**
 * CLAIM for several sessions in one statement (and one commit). A row locked elsewhere (an
 * account being deleted) makes the statement give up after `$3` instead of holding up every
 * session of the batch: the set_config runs once, before the scan locks any row.
 */
export const CLAIM_MANY: PreparedStatement = {
  name: 'sg_claim_many_v2',
  text: `
    WITH timeout AS MATERIALIZED (SELECT set_config('lock_timeout', $3::text, true) AS "set")
    UPDATE "PracticeSession"
    SET "status" = 'PROCESSING', "startedAt" = $2::timestamptz AT TIME ZONE 'UTC',
        "attempts" = "attempts" + 1
    WHERE "id" = ANY($1::text[]) AND "status" IN ('QUEUED', 'PROCESSING', 'FAILED')
      AND EXISTS (SELECT 1 FROM timeout)
    RETURNING "id", "userId", "input", "topic", "personaId", "templateId",
      "createdAt" AT TIME ZONE 'UTC' AS "createdAt"`,
};

/**
 * Marks a session PROCESSING for an attempt. QUEUED, PROCESSING (a retry or a stalled job) and
 * FAILED (an ops retry from Bull Board; nothing was granted) can be claimed; COMPLETED cannot.
 * Returns null when there is nothing to do.
 */
export async function claimForProcessing(
  prisma: PrismaClient,
  sessionId: string,
): Promise<ClaimedSession | null> {
  const [claimed] = await prepared<ClaimedSession>(prisma, CLAIM, [
    sessionId,
    new Date().toISOString(),
  ]);
  return claimed ?? null;
}

/**
 * claimForProcessing for several sessions in one round trip: each id's claimed session, or null
 * where there is nothing to do (a session named twice is claimed once and returned for both).
 */
export async function claimManyForProcessing(
  prisma: PrismaClient,
  sessionIds: readonly string[],
  opts: { lockTimeoutMs: number },
): Promise<(ClaimedSession | null)[]> {
  const rows = await prepared<ClaimedSession & { id: string }>(prisma, CLAIM_MANY, [
    [...new Set(sessionIds)],
    new Date().toISOString(),
    `${String(opts.lockTimeoutMs)}ms`,
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return sessionIds.map((id) => byId.get(id) ?? null);
}

/** Undoes a claim's attempt count when the job is put back unrun (a provider rate limit). */
export async function releaseClaim(prisma: PrismaClient, sessionId: string): Promise<void> {
  await prisma.practiceSession.updateMany({
    where: { id: sessionId, status: 'PROCESSING', attempts: { gt: 0 } },
    data: { attempts: { decrement: 1 } },
  });
}

/**
 * After the final failed attempt: FAILED with a code; only a session still QUEUED or PROCESSING
 * is failed (never a COMPLETED one); grants nothing.
 */
export async function failSession(
  prisma: PrismaClient,
  sessionId: string,
  error: { code: string; message: string },
): Promise<boolean> {
  const { count } = await prisma.practiceSession.updateMany({
    where: { id: sessionId, status: { in: ['QUEUED', 'PROCESSING'] } },
    data: {
      status: 'FAILED',
      errorCode: error.code,
      errorMessage: error.message.slice(0, 500),
      completedAt: new Date(),
    },
  });
  return count > 0;
}

/** BullMQ fails a job that stalled too often (its workers died) without running the processor. */
export function isStallFailure(reason: string): boolean {
  return /stalled|started more than/i.test(reason);
}
