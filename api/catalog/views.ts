import type { AiPersona, PracticeMissionTemplate } from '../../shared/db.js';
import type { TemplateRow } from '../../shared/missions/progress.js';
import type { PersonasResponse, Template, TemplatesResponse } from './schemas.js';

export function personasView(personas: AiPersona[]): PersonasResponse {
  return {
    ok: true,
    personas: personas.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      shortLabel: p.shortLabel,
      description: p.description,
      style: p.style,
      difficulty: p.difficulty,
      avatarUrl: p.avatarUrl,
    })),
  };
}

/** One template as `/v1/templates` shows it (`/v1/missions` adds the caller's progress). */
export function templateView(t: TemplateRow): Template {
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

export function templatesView(rows: PracticeMissionTemplate[]): TemplatesResponse {
  return { ok: true, templates: rows.map(templateView) };
}
