import { LRUCache } from 'lru-cache';
import type { ScoringContext } from '../ai/index.js';
import type { AiPersona, PracticeMissionTemplate, PracticeSession, PrismaClient } from '../db.js';
import type { TemplateLimits } from '../fair-play/index.js';
import type { Mission } from './score.js';

export interface ScoringRefs {
  /** Pass score and bonus of the session's template, if it has one. */
  mission: Mission | null;
  /** The template's limits on USER messages (checked by the worker where the API could not). */
  limits: TemplateLimits | null;
  /** Persona, mission and topic for the rubric. */
  context: ScoringContext;
}

/**
 * Catalog rows change only with the seed: a worker keeps them a minute instead of reading them
 * for every session (ids are unique, so one cache serves every database a process talks to).
 */
const CATALOG_TTL_MS = 60_000;
const templates = new LRUCache<string, { row: PracticeMissionTemplate | null }, PrismaClient>({
  max: 5_000,
  ttl: CATALOG_TTL_MS,
  fetchMethod: async (id, _stale, { context }) => ({
    row: await context.practiceMissionTemplate.findUnique({ where: { id } }),
  }),
});
const personas = new LRUCache<string, { row: AiPersona | null }, PrismaClient>({
  max: 5_000,
  ttl: CATALOG_TTL_MS,
  fetchMethod: async (id, _stale, { context }) => ({
    row: await context.aiPersona.findUnique({ where: { id } }),
  }),
});

/**
 * Loads what scoring needs from the catalog: the template's pass score and bonus, and the persona
 * (the session's own, else the template's) and mission the reply is judged against.
 */
export async function loadScoringRefs(
  prisma: PrismaClient,
  session: Pick<PracticeSession, 'templateId' | 'personaId' | 'topic'>,
): Promise<ScoringRefs> {
  const template = session.templateId
    ? ((await templates.fetch(session.templateId, { context: prisma }))?.row ?? null)
    : null;
  const personaId = session.personaId ?? template?.personaId ?? null;
  const persona = personaId
    ? ((await personas.fetch(personaId, { context: prisma }))?.row ?? null)
    : null;
  return {
    mission: template
      ? {
          passScore: template.passScore,
          rewards: {
            xp: template.rewardXp,
            coins: template.rewardCoins,
            gems: template.rewardGems,
          },
        }
      : null,
    limits: template ? { maxMessages: template.maxMessages, wordLimit: template.wordLimit } : null,
    context: {
      topic: session.topic,
      persona: persona
        ? {
            name: persona.name,
            style: persona.style,
            description: persona.description,
            difficulty: persona.difficulty,
          }
        : null,
      mission: template
        ? {
            title: template.title,
            category: template.category,
            difficulty: template.difficulty,
            description: template.description,
          }
        : null,
    },
  };
}
