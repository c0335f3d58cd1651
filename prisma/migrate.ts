// Entry point of `npm run db:migrate`: applies pending migrations to DATABASE_URL.
import { loadConfig } from '../shared/config.js';
import { migrate } from './migrator.js';

const config = loadConfig();
const { applied, alreadyApplied } = await migrate(config.DATABASE_URL);
console.log(
  applied.length
    ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
    : `Database is up to date (${alreadyApplied.length} migration(s) already applied)`,
);
