import type { MissionRow } from '../../shared/missions/progress.js';
import { templateView } from '../catalog/views.js';
import type { MissionsResponse } from './schemas.js';

/** One mission: the template as the catalog shows it, and the caller's progress. */
export function missionView(m: MissionRow): MissionsResponse['missions'][number] {
  return {
    ...templateView(m),
    progress: {
      attempts: m.attempts,
      bestScore: m.bestScore,
      passed: m.passed,
      lastPlayedAt: m.lastPlayedAt?.toISOString() ?? null,
      bonusAvailableToday: m.bonusAvailableToday,
    },
  };
}

export function missionsView(rows: MissionRow[]): MissionsResponse {
  return { ok: true, missions: rows.map(missionView) };
}
