import { purgePrincipalChanges } from '../../shared/auth/principal-changes.js';
import { purgeExpiredResetTokens } from '../../shared/auth/reset-tokens.js';
import type { Config } from '../../shared/config.js';
import type { PrismaClient } from '../../shared/db.js';
import type { Logger } from '../../shared/logger.js';
import { MAINTENANCE_JOBS } from '../../shared/queue/contract.js';
import type { ScoringQueue } from '../../shared/queue/producer.js';
import { purgeExpiredIdempotencyKeys, sweepSessions } from '../../shared/sessions/sweep.js';
import { purgeFailedVoiceClips } from '../../shared/sessions/voice-clip.js';

export interface MaintenanceDeps {
  prisma: PrismaClient;
  queue: ScoringQueue;
  config: Config;
  logger: Logger;
  /** Announces sessions the sweeper settles (wakes long-polls). */
  publish: (sessionId: string) => Promise<unknown>;
}

/** The one place that maps maintenance job names to what they do. */
export async function runMaintenance(name: string, deps: MaintenanceDeps): Promise<unknown> {
  switch (name) {
    case MAINTENANCE_JOBS.sweepSessions:
      return sweepSessions(deps);
    case MAINTENANCE_JOBS.purgeIdempotencyKeys:
      return { purged: await purgeExpiredIdempotencyKeys(deps.prisma) };
    case MAINTENANCE_JOBS.purgeVoiceClips:
      return {
        purged: await purgeFailedVoiceClips(deps.prisma, deps.config.VOICE_CLIP_RETENTION_HOURS),
      };
    case MAINTENANCE_JOBS.purgeResetTokens:
      return { purged: await purgeExpiredResetTokens(deps.prisma) };
    case MAINTENANCE_JOBS.purgePrincipalChanges:
      return { purged: await purgePrincipalChanges(deps.prisma) };
    default:
      throw new Error(`Unknown maintenance job ${name}`);
  }
}
