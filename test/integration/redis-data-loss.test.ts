import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../shared/logger.js';
import { MAINTENANCE_JOBS, scoringJobId } from '../../shared/queue/contract.js';
import { createScoringQueue } from '../../shared/queue/producer.js';
import { sweepSessions } from '../../shared/sessions/sweep.js';
import { startMaintenance } from '../../worker/maintenance-worker.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { expectConsistentRewards, submitText, waitForTerminal } from '../helpers/practice.js';
import { startScoringWorker } from '../helpers/worker.js';

/**
 * Issue 10: Redis restarted without persistence loses every queue key — jobs and the maintenance
 * schedules. The sessions in Postgres are the truth: the sweeper re-enqueues every unfinished one,
 * and each completes exactly once.
 */

describe('Redis data loss', () => {
  const t = createTestApp();
  const redis = new Redis(t.deps.config.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = createScoringQueue(t.deps.config, redis);
  const logger = createLogger(t.deps.config, 'test-sweep');
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await t.close();
  });

  /** Every key of the app's prefix gone, as after `redis-server` restarted empty. */
  async function loseEverything(): Promise<number> {
    let removed = 0;
    for await (const keys of redis.scanStream({ match: `${t.deps.config.QUEUE_PREFIX}*` })) {
      const batch = keys as string[];
      if (batch.length > 0) removed += await redis.unlink(...batch);
    }
    return removed;
  }

  /** The worker's maintenance (schedules, sweeper) on this file's queue and connection. */
  const maintenanceOnTheQueue = (scheduleCheckMs?: number) =>
    startMaintenance(
      t.deps.config,
      redis,
      {
        prisma: t.deps.prisma,
        queue,
        config: t.deps.config,
        logger,
        publish: () => Promise.resolve(),
      },
      logger,
      scheduleCheckMs,
    );

  it('re-enqueues every unfinished session, and each completes exactly once', async () => {
    const users = [await createUser(t.app), await createUser(t.app)];
    const submitted: { user: (typeof users)[number]; id: string }[] = [];
    for (let i = 0; i < 10; i++) {
      for (const user of users) {
        const res = await submitText(t.app, user);
        expect(res.status).toBe(202);
        submitted.push({ user, id: String(res.body.sessionId) });
      }
    }
    expect(await loseEverything()).toBeGreaterThan(0);
    expect(await queue.getJobCountByTypes('waiting', 'prioritized')).toBe(0);

    const later = new Date(Date.now() + (t.deps.config.SWEEP_QUEUED_AFTER_SEC + 1) * 1000);
    const deps = { prisma: t.deps.prisma, queue, config: t.deps.config, logger };
    // The database is shared with earlier test files, whose leftovers the sweep may take too.
    const swept = await sweepSessions(deps, later);
    expect(swept.failed).toBe(0);
    expect(swept.requeued).toBeGreaterThanOrEqual(20);
    for (const { id } of submitted) {
      expect(await queue.getJobState(scoringJobId(id))).toMatch(/^(waiting|prioritized)$/);
    }
    // Consistent and idempotent: the next sweep finds every job waiting and adds nothing.
    expect(await sweepSessions(deps, later)).toEqual({ requeued: 0, failed: 0 });

    const worker = startScoringWorker(t.deps.config);
    try {
      for (const { user, id } of submitted) {
        expect((await waitForTerminal(t.app, user, id)).body.status).toBe('COMPLETED');
      }
    } finally {
      await worker.close();
    }
    // Completed meanwhile: a sweep now re-enqueues none of them.
    expect(await sweepSessions(deps, later)).toEqual({ requeued: 0, failed: 0 });
    for (const user of users) await expectConsistentRewards(t.deps.prisma, user.id);
    const rewards = await t.deps.prisma.walletLedgerEntry.groupBy({
      by: ['sessionId'],
      where: { sessionId: { in: submitted.map((s) => s.id) }, kind: 'SESSION_REWARD' },
      _count: true,
    });
    expect(rewards).toHaveLength(20);
    expect(rewards.every((r) => r._count === 1)).toBe(true);
  });

  it('recreates the maintenance schedules a worker finds missing', async () => {
    const maintenance = await maintenanceOnTheQueue(100);
    try {
      expect(await maintenance.queue.getJobScheduler('sweep-sessions')).toBeDefined();
      // The 100 ms check may recreate them at any moment after this; the poll below waits for it.
      expect(await loseEverything()).toBeGreaterThan(0);
      await expect
        .poll(async () => (await maintenance.queue.getJobScheduler('sweep-sessions'))?.key, {
          timeout: 5000,
        })
        .toBe('sweep-sessions');
      // The schedules are recreated one after another: wait for each.
      for (const name of Object.values(MAINTENANCE_JOBS)) {
        await expect
          .poll(async () => (await maintenance.queue.getJobScheduler(name))?.key, {
            timeout: 5000,
          })
          .toBe(name);
      }
    } finally {
      await maintenance.close();
      await maintenance.queue.close();
    }
  });

  it('logs the errors of its Redis connection instead of printing them raw', async () => {
    const maintenance = await maintenanceOnTheQueue();
    // A BullMQ queue without an 'error' listener hands connection errors to console.error.
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const logged = vi.spyOn(logger, 'warn');
    try {
      // What the shared connection emits when Redis goes away (BullMQ relays it to every queue).
      redis.emit('error', new Error('connect ECONNREFUSED (simulated)'));
      expect(printed).not.toHaveBeenCalled();
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({
          err: expect.objectContaining({ message: expect.stringMatching(/simulated/) }),
        }),
        'maintenance queue handle error',
      );
    } finally {
      printed.mockRestore();
      logged.mockRestore();
      await maintenance.close();
      await maintenance.queue.close();
    }
  });
});
