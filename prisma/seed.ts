// Entry point of `npm run db:seed`: upserts personas, mission templates and power-ups.
import { loadConfig } from '../shared/config.js';
import { createPrisma } from '../shared/db.js';
import { POWERUPS, PERSONAS, TEMPLATES, seedCatalog } from './catalog.js';

const config = loadConfig();
const prisma = createPrisma(config.DATABASE_URL, { max: 2 });
try {
  await seedCatalog(prisma);
  console.log(
    `Seeded ${PERSONAS.length} personas, ${TEMPLATES.length} templates, ${POWERUPS.length} power-ups`,
  );
} finally {
  await prisma.$disconnect();
}
