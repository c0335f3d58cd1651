import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { SCORE_SESSION_JOB, scoringJobOptions } from '../../shared/queue/contract.js';
import { testConfig } from '../helpers/config.js';
import { createTestApp } from '../helpers/app.js';
import { startScoringWorker } from '../helpers/worker.js';

/**
 * Issue 10: while Postgres cannot be reached a worker pauses scoring instead of spending the job's
 * attempts, so an outage longer than the retry budget does not end sessions FAILED.
 */
describe('Postgres unreachable from a worker', () => {
  const t = createTestApp({ JOB_ATTEMPTS: '1' });
  afterAll(() => t.close());

  it('puts the job back without using an attempt', async () => {
    const down = testConfig({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing',
      QUEUE_PREFIX: t.deps.config.QUEUE_PREFIX,
      JOB_ATTEMPTS: '1',
    });
    const sessionId = randomUUID();
    const job = await t.deps.scoringQueue.add(
      SCORE_SESSION_JOB,
      { sessionId },
      scoringJobOptions(t.deps.config, sessionId),
    );
    const worker = startScoringWorker(down);
    try {
      // Started (and refused by the database) at least once…
      await expect
        .poll(async () => (await t.deps.scoringQueue.getJob(String(job.id)))?.attemptsStarted, {
          timeout: 15_000,
        })
        .toBeGreaterThan(0);
    } finally {
      await worker.close();
    }
    // …yet with its one attempt unused it is back in the queue, not failed.
    const after = await t.deps.scoringQueue.getJob(String(job.id));
    expect(after?.attemptsMade).toBe(0);
    expect(await after?.getState()).not.toBe('failed');
  });
});
