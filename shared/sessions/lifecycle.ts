import type { PracticeSession, PrismaClient } from '../db.js';

/**
 * Marks a session PROCESSING for an attempt. QUEUED, PROCESSING (a retry or a stalled job) and
 * FAILED (an ops retry from Bull Board; nothing was granted) can be claimed; COMPLETED cannot.
 * Returns null when there is nothing to do.
 */
export async function claimForProcessing(
  prisma: PrismaClient,
  sessionId: string,
): Promise<PracticeSession | null> {
  const claimed = await prisma.practiceSession.updateManyAndReturn({
    where: { id: sessionId, status: { in: ['QUEUED', 'PROCESSING', 'FAILED'] } },
    data: { status: 'PROCESSING', startedAt: new Date(), attempts: { increment: 1 } },
  });
  return claimed[0] ?? null;
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
