import { afterAll, describe, expect, it } from 'vitest';
import { seedCatalog } from '../../prisma/catalog.js';
import { createTestApp } from '../helpers/app.js';

const t = createTestApp();
const { prisma } = t.deps;
afterAll(() => t.close());

describe('db:seed catalog', () => {
  it('is idempotent and covers personas, every mission category and power-ups', async () => {
    await seedCatalog(prisma);
    const counts = async () => ({
      personas: await prisma.aiPersona.count(),
      templates: await prisma.practiceMissionTemplate.count(),
      powerups: await prisma.powerUpType.count(),
    });
    const before = await counts();
    await seedCatalog(prisma);
    expect(await counts()).toEqual(before);
    expect(before.personas).toBeGreaterThanOrEqual(4);
    expect(before.templates).toBeGreaterThanOrEqual(6);
    expect(before.powerups).toBeGreaterThanOrEqual(1);
    const categories = await prisma.practiceMissionTemplate.groupBy({ by: ['category'] });
    expect(categories.map((c) => c.category).sort()).toEqual(['FLIRTING', 'OPENERS', 'RECOVERY']);
    const maya = await prisma.aiPersona.findUniqueOrThrow({ where: { code: 'maya' } });
    expect(maya).toMatchObject({ name: 'Maya', shortLabel: 'Playful' });
  });
});
