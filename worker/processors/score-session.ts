import { UnrecoverableError } from 'bullmq';
import type { AiCoreProvider } from '../../shared/ai/index.js';
import type { PrismaClient } from '../../shared/db.js';
import type { ScoreSessionPayload } from '../../shared/queue/contract.js';
import { applyScoredSession, type ApplyOutcome } from '../../shared/sessions/apply.js';
import { StoredInputSchema } from '../../shared/sessions/input.js';
import { claimForProcessing } from '../../shared/sessions/lifecycle.js';
import { scoreSubmission, type Mission } from '../../shared/sessions/score.js';

export interface ScoreDeps {
  prisma: PrismaClient;
  provider: AiCoreProvider;
  /** Announces a finished session (wakes long-polls). */
  publish: (sessionId: string) => Promise<unknown>;
}

/** A session that can never be scored: retrying is pointless. */
export class InvalidSessionError extends UnrecoverableError {
  readonly code = 'INVALID_INPUT';
}

/**
 * Scores one session and applies its effects exactly once. Safe to run again or concurrently for
 * the same session: a COMPLETED session is left alone.
 */
export async function scoreSession(
  { sessionId }: ScoreSessionPayload,
  deps: ScoreDeps,
): Promise<ApplyOutcome | 'not-claimable'> {
  const session = await claimForProcessing(deps.prisma, sessionId);
  if (!session) return 'not-claimable';
  const input = StoredInputSchema.safeParse(session.input);
  if (!input.success) throw new InvalidSessionError(`Session ${sessionId} has unreadable input`);
  const mission = session.templateId ? await missionOf(deps.prisma, session.templateId) : null;
  const scored = await scoreSubmission(deps.provider, input.data, mission);
  const outcome = await applyScoredSession(deps.prisma, sessionId, input.data, scored);
  if (outcome === 'applied') await deps.publish(sessionId);
  return outcome;
}

async function missionOf(prisma: PrismaClient, templateId: string): Promise<Mission | null> {
  const t = await prisma.practiceMissionTemplate.findUnique({ where: { id: templateId } });
  if (!t) return null;
  return {
    passScore: t.passScore,
    rewards: { xp: t.rewardXp, coins: t.rewardCoins, gems: t.rewardGems },
  };
}
