import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heuristicProvider, type AiCoreProvider } from '../../shared/ai/index.js';
import { createLogger } from '../../shared/logger.js';
import { SCORING_QUEUE, scoringJobId } from '../../shared/queue/contract.js';
import { createScoringQueue } from '../../shared/queue/producer.js';
import { createRedis } from '../../shared/redis.js';
import { sweepSessions } from '../../shared/sessions/sweep.js';
import { scoreSession } from '../../worker/processors/score-session.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import {
  expectConsistentRewards,
  goodChat,
  submitText,
  waitForTerminal,
} from '../helpers/practice.js';
import { processorDeps, startScoringWorker } from '../helpers/worker.js';

// No BullMQ worker runs unless a test starts one: the processor is called directly.
const t = createTestApp({ JOB_ATTEMPTS: '2', SWEEP_QUEUED_AFTER_SEC: '1' });
const { app, deps } = t;
const proc = processorDeps(deps.config);
/** One blocking-style connection for the sweeper's queue handles, closed after the file. */
const sweepRedis = createRedis(deps.config, 'worker');
const sweepQueue = createScoringQueue(deps.config, sweepRedis);
const sweepLogger = createLogger(deps.config, 'test-sweep');
/**
 * One run of the maintenance sweeper, as the worker's scheduler runs it; `now` may be moved
 * forward so that sessions look older than SWEEP_QUEUED_AFTER_SEC without waiting.
 */
const sweep = (publish?: (id: string) => Promise<unknown>, now = new Date()) =>
  sweepSessions(
    {
      prisma: deps.prisma,
      queue: sweepQueue,
      config: deps.config,
      logger: sweepLogger,
      ...(publish ? { publish } : {}),
    },
    now,
  );
const later = () => new Date(Date.now() + (deps.config.SWEEP_QUEUED_AFTER_SEC + 1) * 1000);
let queue: Queue;
beforeAll(() => {
  queue = new Queue(SCORING_QUEUE, {
    connection: { url: deps.config.REDIS_URL },
    prefix: deps.config.QUEUE_PREFIX,
  });
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await proc.close();
  await sweepQueue.close();
  sweepRedis.disconnect();
  await t.close();
});

async function queuedSession() {
  const user = await createUser(app);
  const res = await submitText(app, user);
  expect(res.status).toBe(202);
  return { user, sessionId: res.body.sessionId as string };
}

describe('scoreSession (the processor)', () => {
  it('applies effects once when run twice in a row', async () => {
    const { user, sessionId } = await queuedSession();
    expect(await scoreSession({ sessionId }, proc.deps)).toBe('applied');
    const after1 = await expectConsistentRewards(deps.prisma, user.id);
    expect(await scoreSession({ sessionId }, proc.deps)).toBe('not-claimable');
    const after2 = await expectConsistentRewards(deps.prisma, user.id);
    expect(after2.wallet).toEqual(after1.wallet);
    expect(after2.stats.sessionsCount).toBe(1);
    expect(await deps.prisma.chatMessage.count({ where: { sessionId } })).toBe(4);
    expect(proc.published.filter((id) => id === sessionId)).toHaveLength(1);
  });

  it('applies effects once when run concurrently (a stalled job running twice)', async () => {
    const { user, sessionId } = await queuedSession();
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () =>
        scoreSession({ sessionId }, proc.deps).catch((e: unknown) => e),
      ),
    );
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    const { stats, ledger } = await expectConsistentRewards(deps.prisma, user.id);
    expect(stats.sessionsCount).toBe(1);
    expect(ledger.filter((e) => e.kind === 'SESSION_REWARD')).toHaveLength(1);
    const session = await deps.prisma.practiceSession.findUniqueOrThrow({
      where: { id: sessionId },
    });
    expect(session.status).toBe('COMPLETED');
  });

  it('keeps one user’s wallet right when many of their sessions apply at once, level-ups included', async () => {
    const user = await createUser(app);
    const ids: string[] = [];
    // Ten different conversations (the same content again would earn nothing).
    for (let i = 0; i < 10; i++) {
      ids.push((await submitText(app, user, { messages: goodChat(i) })).body.sessionId as string);
    }
    await Promise.all(ids.map((sessionId) => scoreSession({ sessionId }, proc.deps)));
    const { completed, wallet, ledger } = await expectConsistentRewards(deps.prisma, user.id);
    expect(completed).toHaveLength(10);
    // Ten decent sessions cross 100 XP: the level-up gem is in the wallet, the ledger and the
    // rewards of the session that crossed it.
    expect(wallet.level).toBeGreaterThanOrEqual(2);
    const levelUps = ledger.filter((e) => e.kind === 'LEVEL_UP');
    expect(levelUps.reduce((a, e) => a + e.gems, 0)).toBe(wallet.level - 1);
    const crossing = completed.find((s) => s.id === levelUps[0]?.sessionId);
    const rewards = (
      crossing?.aiSummary as {
        rewards: { levelUpGems: number; levelBefore: number; levelAfter: number };
      }
    ).rewards;
    expect(rewards.levelUpGems).toBe(rewards.levelAfter - rewards.levelBefore);
    expect(rewards.levelUpGems).toBeGreaterThan(0);
  });
});

describe('failures', () => {
  const broken: AiCoreProvider = {
    name: 'heuristic',
    version: 'broken-1',
    analyze: () => Promise.reject(new Error('provider is down')),
  };

  it('marks the session FAILED with a code after the final attempt and grants nothing', async () => {
    const worker = startScoringWorker(deps.config, broken);
    try {
      const user = await createUser(app);
      const res = await submitText(app, user);
      const done = await waitForTerminal(app, user, res.body.sessionId as string);
      expect(done.body.status).toBe('FAILED');
      expect(done.body.error).toEqual({ code: 'SCORING_FAILED', message: expect.any(String) });
      expect(done.body.result).toBeNull();
      const session = await deps.prisma.practiceSession.findUniqueOrThrow({
        where: { id: res.body.sessionId as string },
      });
      expect(session.attempts).toBe(2);
      const { wallet, stats, ledger } = await expectConsistentRewards(deps.prisma, user.id);
      expect(wallet.lifetimeXp).toBe(0);
      expect(stats.sessionsCount).toBe(0);
      expect(ledger).toHaveLength(0);
    } finally {
      await worker.close();
    }
  });

  it('fails a session with unreadable input at once with INVALID_INPUT', async () => {
    const worker = startScoringWorker(deps.config, heuristicProvider);
    try {
      const user = await createUser(app);
      const { sessionId } = await (async () => {
        const s = await deps.prisma.practiceSession.create({
          data: { userId: user.id, mode: 'TEXT', input: { mode: 'text', messages: 'garbage' } },
        });
        await createScoringQueue(deps.config, sweepRedis).add(
          'score-session',
          { sessionId: s.id },
          { jobId: scoringJobId(s.id), attempts: 2 },
        );
        return { sessionId: s.id };
      })();
      const done = await waitForTerminal(app, user, sessionId);
      expect(done.body.error.code).toBe('INVALID_INPUT');
      const session = await deps.prisma.practiceSession.findUniqueOrThrow({
        where: { id: sessionId },
      });
      expect(session.attempts).toBe(1);
    } finally {
      await worker.close();
    }
  });
});

describe('Redis unreachable at submit', () => {
  it('still accepts the session (QUEUED), and the sweeper enqueues it: nothing is lost', async () => {
    const down = createTestApp({
      REDIS_URL: 'redis://127.0.0.1:1',
      QUEUE_PREFIX: deps.config.QUEUE_PREFIX,
    });
    try {
      const user = await createUser(down.app);
      const res = await submitText(down.app, user);
      expect(res.status).toBe(202);
      const sessionId = res.body.sessionId as string;
      expect(
        (await deps.prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId } })).status,
      ).toBe('QUEUED');
      expect(await queue.getJob(scoringJobId(sessionId))).toBeUndefined();

      const swept = await sweep(undefined, later());
      expect(swept.requeued).toBeGreaterThanOrEqual(1);
      const job = await queue.getJob(scoringJobId(sessionId));
      expect(await job?.getState()).toBe('waiting');
      // A second sweep finds the job waiting and leaves it: the same job, not a second one.
      const again = await sweep(undefined, later());
      expect(again.requeued).toBe(0);
      const still = await queue.getJob(scoringJobId(sessionId));
      expect(still?.timestamp).toBe(job?.timestamp);
      expect(await still?.getState()).toBe('waiting');

      const worker = startScoringWorker(deps.config);
      try {
        const done = await waitForTerminal(app, user, sessionId);
        expect(done.body.status).toBe('COMPLETED');
      } finally {
        await worker.close();
      }
      await expectConsistentRewards(deps.prisma, user.id);
    } finally {
      await down.close();
    }
  });

  it('re-enqueues a session whose job failed without settling it (e.g. stalled too often)', async () => {
    const { user, sessionId } = await queuedSession();
    const job = await queue.getJob(scoringJobId(sessionId));
    await job?.remove();
    // A job BullMQ failed for stalling: the session was claimed once and never finished.
    await deps.prisma.practiceSession.update({
      where: { id: sessionId },
      data: { status: 'PROCESSING', attempts: 1, startedAt: new Date(Date.now() - 5000) },
    });
    const failedJob = await queue.add(
      'score-session',
      { sessionId },
      { jobId: scoringJobId(sessionId), attempts: 1 },
    );
    const worker = new (await import('bullmq')).Worker(
      SCORING_QUEUE,
      () => Promise.reject(new Error('job stalled more than allowable limit')),
      { connection: { url: deps.config.REDIS_URL }, prefix: deps.config.QUEUE_PREFIX },
    );
    await expect.poll(() => failedJob.getState(), { timeout: 10_000 }).toBe('failed');
    await worker.close();
    const swept = await sweep();
    expect(swept.requeued).toBeGreaterThanOrEqual(1);
    expect(await (await queue.getJob(scoringJobId(sessionId)))?.getState()).toBe('waiting');
    expect(await scoreSession({ sessionId }, proc.deps)).toBe('applied');

    // With its attempts used up, a failed job's session is settled as FAILED instead.
    const stuck = await queuedSession();
    await (await queue.getJob(scoringJobId(stuck.sessionId)))?.remove();
    await deps.prisma.practiceSession.update({
      where: { id: stuck.sessionId },
      data: {
        status: 'PROCESSING',
        attempts: 2 * deps.config.JOB_ATTEMPTS,
        startedAt: new Date(Date.now() - 5000),
      },
    });
    const dead = await queue.add(
      'score-session',
      { sessionId: stuck.sessionId },
      { jobId: scoringJobId(stuck.sessionId), attempts: 1 },
    );
    const failer = new (await import('bullmq')).Worker(
      SCORING_QUEUE,
      () => Promise.reject(new Error('boom')),
      {
        connection: { url: deps.config.REDIS_URL },
        prefix: deps.config.QUEUE_PREFIX,
      },
    );
    await expect.poll(() => dead.getState(), { timeout: 10_000 }).toBe('failed');
    await failer.close();
    const published: string[] = [];
    const settled = await sweep((id) => Promise.resolve(published.push(id)));
    expect(settled.failed).toBeGreaterThanOrEqual(1);
    expect(published).toContain(stuck.sessionId);
    const row = await deps.prisma.practiceSession.findUniqueOrThrow({
      where: { id: stuck.sessionId },
    });
    expect(row).toMatchObject({ status: 'FAILED', errorCode: 'SCORING_FAILED' });
    await expectConsistentRewards(deps.prisma, user.id);
    await expectConsistentRewards(deps.prisma, stuck.user.id);
  });

  it('re-enqueues a PROCESSING session whose job is gone', async () => {
    const { user, sessionId } = await queuedSession();
    await deps.prisma.practiceSession.update({
      where: { id: sessionId },
      data: { status: 'PROCESSING', startedAt: new Date(Date.now() - 5000) },
    });
    await (await queue.getJob(scoringJobId(sessionId)))?.remove();
    await sweep();
    expect(await queue.getJob(scoringJobId(sessionId))).toBeDefined();
    expect(await scoreSession({ sessionId }, proc.deps)).toBe('applied');
    await expectConsistentRewards(deps.prisma, user.id);
  });
});
