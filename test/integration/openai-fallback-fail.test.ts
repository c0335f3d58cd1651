import { describe, expect, it } from 'vitest';
import { createUser } from '../helpers/factories.js';
import { openAiStack } from '../helpers/openai-stack.js';
import { expectConsistentRewards, submitText, waitForTerminal } from '../helpers/practice.js';

const s = openAiStack({ SCORING_FALLBACK: 'fail' });

async function failedSession() {
  const user = await createUser(s.app);
  const res = await submitText(s.app, user);
  const done = await waitForTerminal(s.app, user, res.body.sessionId as string);
  return { user, body: done.body };
}

describe('SCORING_FALLBACK=fail', () => {
  it('FAILS the session after the last attempt, granting nothing', async () => {
    const down = { status: 500, body: { error: { message: 'boom' } } };
    s.fake.queue('chat', down, down, down);
    const { user, body } = await failedSession();
    expect(body.status).toBe('FAILED');
    expect(body.error.code).toBe('SCORING_FAILED');
    expect(body.result).toBeNull();
    expect(s.fake.of('chat')).toHaveLength(3);
    const wallet = await s.deps.prisma.userWallet.findUniqueOrThrow({ where: { userId: user.id } });
    expect(wallet).toMatchObject({ xp: 0, coins: 0, gems: 0, lifetimeXp: 0 });
    expect(await s.deps.prisma.walletLedgerEntry.count({ where: { userId: user.id } })).toBe(0);
    await expectConsistentRewards(s.deps.prisma, user.id);
  });

  it('FAILS at once when the key is refused', async () => {
    s.fake.queue('chat', { status: 401, body: { error: { message: 'Incorrect API key' } } });
    const { body } = await failedSession();
    expect(body.status).toBe('FAILED');
    expect(body.error.code).toBe('SCORING_FAILED');
    expect(s.fake.of('chat')).toHaveLength(1);
  });
});
