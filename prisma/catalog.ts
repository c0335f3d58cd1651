import type { PrismaClient } from '../shared/db.js';

/**
 * The seeded catalog: personas, mission templates and power-ups. Upserted by `code`, so seeding
 * twice changes nothing and edits here roll out by re-running `npm run db:seed`.
 */

export const PERSONAS = [
  {
    code: 'maya',
    name: 'Maya',
    shortLabel: 'Playful',
    style: 'PLAYFUL',
    difficulty: 1,
    description: 'Teasing, quick and fun; rewards banter and a light touch.',
  },
  {
    code: 'noa',
    name: 'Noa',
    shortLabel: 'Calm',
    style: 'CALM',
    difficulty: 1,
    description: 'Thoughtful and unhurried; rewards curiosity and real listening.',
  },
  {
    code: 'dan',
    name: 'Dan',
    shortLabel: 'Confident',
    style: 'CONFIDENT',
    difficulty: 2,
    description: 'Direct and a little challenging; rewards clear plans and owning an opinion.',
  },
  {
    code: 'omer',
    name: 'Omer',
    shortLabel: 'Warm',
    style: 'WARM',
    difficulty: 1,
    description: 'Open and kind; rewards warmth, empathy and good questions.',
  },
] as const;

type PersonaCode = (typeof PERSONAS)[number]['code'];

export const TEMPLATES: {
  code: string;
  title: string;
  description: string;
  category: 'OPENERS' | 'FLIRTING' | 'RECOVERY';
  difficulty: number;
  persona: PersonaCode | null;
  timeLimitSec: number | null;
  maxMessages: number | null;
  wordLimit: number | null;
  passScore: number;
  rewardXp: number;
  rewardCoins: number;
  rewardGems: number;
}[] = [
  {
    code: 'opener-first-message',
    title: 'The first message',
    category: 'OPENERS',
    difficulty: 1,
    description: 'Open a conversation from a profile detail in one or two messages.',
    persona: 'noa',
    timeLimitSec: 120,
    maxMessages: 2,
    wordLimit: 60,
    passScore: 60,
    rewardXp: 20,
    rewardCoins: 5,
    rewardGems: 0,
  },
  {
    code: 'opener-party-intro',
    title: 'Party introduction',
    category: 'OPENERS',
    difficulty: 2,
    description: 'Introduce yourself to a stranger at a party and keep it going.',
    persona: 'omer',
    timeLimitSec: 300,
    maxMessages: 6,
    wordLimit: 80,
    passScore: 65,
    rewardXp: 30,
    rewardCoins: 8,
    rewardGems: 0,
  },
  {
    code: 'flirt-playful-tease',
    title: 'Playful tease',
    category: 'FLIRTING',
    difficulty: 2,
    description: 'Answer a tease with a tease, without being mean.',
    persona: 'maya',
    timeLimitSec: 300,
    maxMessages: 8,
    wordLimit: 60,
    passScore: 65,
    rewardXp: 35,
    rewardCoins: 10,
    rewardGems: 0,
  },
  {
    code: 'flirt-ask-out',
    title: 'Ask them out',
    category: 'FLIRTING',
    difficulty: 3,
    description: 'Move from chatting to a concrete plan: a place and a time.',
    persona: 'dan',
    timeLimitSec: 300,
    maxMessages: 8,
    wordLimit: 80,
    passScore: 70,
    rewardXp: 50,
    rewardCoins: 15,
    rewardGems: 1,
  },
  {
    code: 'recovery-awkward-silence',
    title: 'After an awkward silence',
    category: 'RECOVERY',
    difficulty: 2,
    description: 'Restart a conversation that went quiet for a few days.',
    persona: 'noa',
    timeLimitSec: 300,
    maxMessages: 6,
    wordLimit: 80,
    passScore: 60,
    rewardXp: 30,
    rewardCoins: 8,
    rewardGems: 0,
  },
  {
    code: 'recovery-bad-joke',
    title: 'A joke that landed badly',
    category: 'RECOVERY',
    difficulty: 3,
    description: 'Recover gracefully after a joke fell flat.',
    persona: 'maya',
    timeLimitSec: 300,
    maxMessages: 6,
    wordLimit: 80,
    passScore: 70,
    rewardXp: 45,
    rewardCoins: 12,
    rewardGems: 1,
  },
];

export const POWERUPS = [
  {
    code: 'hint',
    name: 'Hint',
    gemCost: 1,
    maxUsesPerSession: 3,
    description: 'A coach suggestion for your next message.',
  },
  {
    code: 'rewrite',
    name: 'Rewrite',
    gemCost: 2,
    maxUsesPerSession: 1,
    description: 'See a stronger version of your last message.',
  },
  {
    code: 'second-chance',
    name: 'Second chance',
    gemCost: 3,
    maxUsesPerSession: 1,
    description: 'Retry a mission without losing your streak.',
  },
] as const;

/** Upserts the whole catalog by code. */
export async function seedCatalog(prisma: PrismaClient): Promise<void> {
  const personaIds = new Map<string, string>();
  for (const { code, ...data } of PERSONAS) {
    const row = await prisma.aiPersona.upsert({
      where: { code },
      create: { code, ...data },
      update: data,
    });
    personaIds.set(code, row.id);
  }
  for (const { code, persona, ...data } of TEMPLATES) {
    const fields = { ...data, personaId: persona ? (personaIds.get(persona) ?? null) : null };
    await prisma.practiceMissionTemplate.upsert({
      where: { code },
      create: { code, ...fields },
      update: fields,
    });
  }
  for (const { code, ...data } of POWERUPS) {
    await prisma.powerUpType.upsert({ where: { code }, create: { code, ...data }, update: data });
  }
}
