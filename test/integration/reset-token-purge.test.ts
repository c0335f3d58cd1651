import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { hashResetToken } from '../../api/auth/password-reset.js';
import { MAINTENANCE_JOBS } from '../../shared/queue/contract.js';
import { runMaintenance } from '../../worker/processors/maintenance.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';

const t = createTestApp();
afterAll(() => t.close());

const DAY = 86_400_000;

describe('maintenance: purge-reset-tokens', () => {
  it('deletes reset tokens expired over a week ago, used or not, and keeps the rest', async () => {
    const user = await createUser(t.app);
    const prisma = t.deps.prisma;
    const now = Date.now();
    const token = (expiresAt: number, usedAt: Date | null = null) =>
      prisma.passwordResetToken.create({
        data: {
          userId: user.id,
          tokenHash: hashResetToken(randomBytes(32).toString('base64url')),
          expiresAt: new Date(expiresAt),
          usedAt,
        },
      });
    const live = await token(now + 30 * 60_000);
    const recent = await token(now - DAY);
    const old = await token(now - 8 * DAY);
    const oldUsed = await token(now - 9 * DAY, new Date(now - 9 * DAY - 60_000));

    const result = await runMaintenance(MAINTENANCE_JOBS.purgeResetTokens, {
      prisma,
      queue: t.deps.scoringQueue,
      config: t.deps.config,
      logger: t.deps.logger,
      publish: () => Promise.resolve(),
    });

    expect(result).toEqual({ purged: expect.any(Number) as number });
    const left = await prisma.passwordResetToken.findMany({ where: { userId: user.id } });
    const ids = left.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([live.id, recent.id]));
    expect(ids).not.toContain(old.id);
    expect(ids).not.toContain(oldUsed.id);
  });
});
