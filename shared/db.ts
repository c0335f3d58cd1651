import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client.js';

export { Prisma } from '../prisma/generated/client.js';
export type { PrismaClient };
export type * from '../prisma/generated/client.js';

/** A Prisma client over node-postgres (no query-engine binary). */
export function createPrisma(databaseUrl: string, options: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10 });
  return new PrismaClient({ adapter });
}

/** What a transaction callback receives. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
