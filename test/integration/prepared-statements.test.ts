import { describe, expect, it } from 'vitest';
import { createPrisma, poolOf, prepared } from '../../shared/db.js';
import { workerDatabaseUrl } from '../helpers/config.js';

const ONE = { name: 'sg_test_one_v1', text: 'SELECT $1::int + 1 AS "n"' };

describe('prepared statements on the Prisma client’s pool', () => {
  it('run on the very pool Prisma queries through, sized as the client', async () => {
    const prisma = createPrisma(workerDatabaseUrl(), { max: 3 });
    try {
      // Prisma's own query opens a connection in the pool that `prepared` then uses.
      await prisma.$queryRaw`SELECT 1`;
      const pool = await poolOf(prisma);
      expect(pool.options.max).toBe(3);
      expect(pool.totalCount).toBe(1);
      expect(await prepared<{ n: number }>(prisma, ONE, [41])).toEqual([{ n: 42 }]);
      expect(pool.totalCount).toBe(1);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('still run after the client was disconnected (Prisma reopens its pool)', async () => {
    const prisma = createPrisma(workerDatabaseUrl(), { max: 2 });
    try {
      expect(await prepared<{ n: number }>(prisma, ONE, [1])).toEqual([{ n: 2 }]);
      const first = await poolOf(prisma);
      await prisma.$disconnect();
      expect(await prepared<{ n: number }>(prisma, ONE, [2])).toEqual([{ n: 3 }]);
      expect(await poolOf(prisma)).not.toBe(first);
      expect(await prisma.$queryRaw<{ n: number }[]>`SELECT 7::int AS "n"`).toEqual([{ n: 7 }]);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('prepare again when the server forgot them (a pooler’s DISCARD ALL)', async () => {
    const prisma = createPrisma(workerDatabaseUrl(), { max: 1 });
    try {
      expect(await prepared<{ n: number }>(prisma, ONE, [1])).toEqual([{ n: 2 }]);
      // The pool's only connection forgets every prepared statement; node-postgres does not know.
      await prisma.$executeRawUnsafe('DISCARD ALL');
      expect(await prepared<{ n: number }>(prisma, ONE, [2])).toEqual([{ n: 3 }]);
      // Any other error is the caller's, as before.
      const bad = { name: 'sg_test_bad_v1', text: 'SELECT 1 / $1::int AS "n"' };
      await expect(prepared(prisma, bad, [0])).rejects.toMatchObject({ code: '22012' });
    } finally {
      await prisma.$disconnect();
    }
  });
});
