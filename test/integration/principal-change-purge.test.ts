import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { MAINTENANCE_JOBS } from '../../shared/queue/contract.js';
import { runMaintenance } from '../../worker/processors/maintenance.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';

const t = createTestApp();
afterAll(() => t.close());

describe('principal changes', () => {
  it('are recorded by the "User" triggers under a SHA-256 of the user id, never the id', async () => {
    const prisma = t.deps.prisma;
    const user = await createUser(t.app);
    const key = createHash('sha256').update(user.id).digest('hex');
    const count = () => prisma.principalChange.count({ where: { key } });
    expect(await count()).toBe(0);
    await prisma.user.update({ where: { id: user.id }, data: { name: 'Renamed' } });
    expect(await count()).toBe(0); // neither the version nor the role changed
    await prisma.user.update({
      where: { id: user.id },
      data: { sessionVersion: { increment: 1 } },
    });
    expect(await count()).toBe(1);
    await prisma.user.update({ where: { id: user.id }, data: { role: 'ADMIN' } });
    expect(await count()).toBe(2);
    await prisma.user.delete({ where: { id: user.id } });
    expect(await count()).toBe(3);
    expect(await prisma.principalChange.count({ where: { key: user.id } })).toBe(0);
  });

  it('are purged by maintenance once older than 10 minutes', async () => {
    const prisma = t.deps.prisma;
    const now = Date.now();
    const old = await prisma.principalChange.create({
      data: { key: 'old', at: new Date(now - 11 * 60_000) },
    });
    const recent = await prisma.principalChange.create({
      data: { key: 'recent', at: new Date(now - 9 * 60_000) },
    });
    const result = await runMaintenance(MAINTENANCE_JOBS.purgePrincipalChanges, {
      prisma,
      queue: t.deps.scoringQueue,
      config: t.deps.config,
      logger: t.deps.logger,
      publish: () => Promise.resolve(),
    });
    expect(result).toMatchObject({ purged: expect.any(Number) });
    expect(await prisma.principalChange.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await prisma.principalChange.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });
});
