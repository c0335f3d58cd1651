import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { spawnWorkerProcess } from '../helpers/worker-process.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { expectConsistentRewards, submitText } from '../helpers/practice.js';

/** Short job locks so the jobs of a killed worker are noticed as stalled within seconds. */
const t = createTestApp({ JOB_LOCK_MS: '2000', WORKER_CONCURRENCY: '4' });
const { app, deps } = t;
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await t.close();
});

/** The real worker entry point in its own process, configured like the test app. */
function startWorkerProcess(): ChildProcess {
  const c = deps.config;
  const child = spawnWorkerProcess(c, {
    JOB_LOCK_MS: String(c.JOB_LOCK_MS),
    WORKER_CONCURRENCY: String(c.WORKER_CONCURRENCY),
    SWEEP_QUEUED_AFTER_SEC: '2',
  });
  children.push(child);
  return child;
}

async function countCompleted(ids: string[]) {
  return deps.prisma.practiceSession.count({ where: { id: { in: ids }, status: 'COMPLETED' } });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error('condition not reached in time');
}

async function kill(child: ChildProcess) {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

describe('a worker SIGKILLed mid-batch', () => {
  it('completes every session exactly once after restarts', { timeout: 120_000 }, async () => {
    const users: TestUser[] = await Promise.all(Array.from({ length: 3 }, () => createUser(app)));
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await submitText(app, users[i % users.length]!);
      expect(res.status).toBe(202);
      ids.push(res.body.sessionId as string);
    }

    let completedAtKill = 0;
    for (const threshold of [40, 150]) {
      const worker = startWorkerProcess();
      await waitUntil(async () => (await countCompleted(ids)) >= threshold, 60_000);
      await kill(worker);
      completedAtKill = await countCompleted(ids);
      expect(completedAtKill).toBeLessThan(ids.length); // killed mid-batch, not after it
    }

    const last = startWorkerProcess();
    await waitUntil(async () => (await countCompleted(ids)) === ids.length, 90_000);
    const exited = once(last, 'exit');
    last.kill('SIGTERM');
    expect((await exited)[0]).toBe(0); // graceful shutdown closes everything and exits cleanly

    expect(completedAtKill).toBeGreaterThan(0);
    const ledger = await deps.prisma.walletLedgerEntry.groupBy({
      by: ['sessionId'],
      where: { sessionId: { in: ids }, kind: 'SESSION_REWARD' },
      _count: true,
    });
    expect(ledger).toHaveLength(ids.length);
    expect(ledger.every((row) => row._count === 1)).toBe(true);
    expect(await deps.prisma.chatMessage.count({ where: { sessionId: { in: ids } } })).toBe(
      ids.length * 4,
    );
    for (const user of users) await expectConsistentRewards(deps.prisma, user.id);
  });
});
