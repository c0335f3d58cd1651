import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { purgePrincipalChanges } from '../../shared/auth/principal-changes.js';
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

  it('are purged once their transaction ended two minutes before a purge took note of it', async () => {
    const prisma = t.deps.prisma;
    const change = (key: string) => prisma.principalChange.create({ data: { key } });
    const exists = async (id: bigint) =>
      (await prisma.principalChange.findUnique({ where: { id } })) !== null;
    const start = Date.now();
    let at = start;
    const purgeAt = (ms: number) => purgePrincipalChanges(prisma, (at = ms));

    await purgeAt(start); // the first purge of a process only takes note
    const first = await change('first');
    // A purge seconds later (a recreated schedule runs at once) has no bound old enough.
    await purgeAt(start + 1000);
    expect(await exists(first.id)).toBe(true);
    // Three minutes later the note taken after `first` committed is old enough (another
    // database's open transaction may hold the bound back a moment: purge again then).
    await expect
      .poll(async () => {
        await purgeAt(at + 180_000);
        return exists(first.id);
      })
      .toBe(false);
    const second = await change('second');
    await purgeAt(at + 1000);
    expect(await exists(second.id)).toBe(true);
  });

  it('are purged by the maintenance job', async () => {
    const result = await runMaintenance(MAINTENANCE_JOBS.purgePrincipalChanges, {
      prisma: t.deps.prisma,
      queue: t.deps.scoringQueue,
      config: t.deps.config,
      logger: t.deps.logger,
      publish: () => Promise.resolve(),
    });
    expect(result).toMatchObject({ purged: expect.any(Number) });
  });
});
