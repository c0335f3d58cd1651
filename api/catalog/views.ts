import type { PracticeMissionTemplate } from '../../shared/db.js';
import type { TemplateView } from './schemas.js';

/** The template columns a view shows. */
export type TemplateRow = Pick<
  PracticeMissionTemplate,
  | 'id'
  | 'code'
  | 'title'
  | 'description'
  | 'category'
  | 'difficulty'
  | 'personaId'
  | 'timeLimitSec'
  | 'maxMessages'
  | 'wordLimit'
  | 'passScore'
  | 'rewardXp'
  | 'rewardCoins'
  | 'rewardGems'
>;

/** A mission template as `/v1/templates` and `/v1/missions` show it. */
export function templateView(t: TemplateRow): TemplateView {
  return {
    id: t.id,
    code: t.code,
    title: t.title,
    description: t.description,
    category: t.category,
    difficulty: t.difficulty,
    personaId: t.personaId,
    timeLimitSec: t.timeLimitSec,
    maxMessages: t.maxMessages,
    wordLimit: t.wordLimit,
    passScore: t.passScore,
    rewards: { xp: t.rewardXp, coins: t.rewardCoins, gems: t.rewardGems },
  };
}
