import type { ScoringContext } from '../ai/index.js';
import { LRUCache } from 'lru-cache';
import type { AiPersona, PracticeMissionTemplate, PracticeSession, PrismaClient } from '../db.js';
import type { Mission } from './score.js';

export interface ScoringRefs {
  /** Pass score and bonus of the session's template, if it has one. */
  mission: Mission | null;
  /** Persona, mission and topic for the rubric. */
  context: ScoringContext;
}

/**
 * Loads what scoring needs from the catalog: the template's pass score and bonus, and the persona
 * (the session's own, else the template's) and mission the reply is judged against.
 */
export async function loadScoringRefs(
  prisma: PrismaClient,
  session: Pick<PracticeSession, 'templateId' | 'personaId' | 'topic'>,
): Promise<ScoringRefs> {
  const template = session.templateId
    ? await prisma.practiceMissionTemplate.findUnique({ where: { id: session.templateId } })
    : null;
  const personaId = session.personaId ?? template?.personaId ?? null;
  const persona = personaId
    ? await prisma.aiPersona.findUnique({ where: { id: personaId } })
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
