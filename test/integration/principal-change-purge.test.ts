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

  it('are purged by maintenance once their transaction ended before the previous purge', async () => {
    const prisma = t.deps.prisma;
    const purge = () =>
      runMaintenance(MAINTENANCE_JOBS.purgePrincipalChanges, {
        prisma,
        queue: t.deps.scoringQueue,
        config: t.deps.config,
        logger: t.deps.logger,
        publish: () => Promise.resolve(),
      });
    const change = (key: string) => prisma.principalChange.create({ data: { key } });
    const exists = async (id: bigint) =>
      (await prisma.principalChange.findUnique({ where: { id } })) !== null;

    await purge(); // this process takes note of the running transactions
    const first = await change('first');
    // The purge right after cannot take it: the bound it uses is from before the row existed.
    await purge();
    expect(await exists(first.id)).toBe(true);
    // A later purge does (another database's open transaction may hold the bound back a moment).
    await expect
      .poll(async () => {
        await purge();
        return exists(first.id);
      })
      .toBe(false);
    const second = await change('second');
    await purge();
    expect(await exists(second.id)).toBe(true);
  });
});
