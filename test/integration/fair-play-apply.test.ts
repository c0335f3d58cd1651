import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { heuristicProvider } from '../../shared/ai/index.js';
import type { PayableRewards } from '../../shared/fair-play/index.js';
import { scoreSession } from '../../worker/processors/score-session.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { expectConsistentRewards, goodChat, submitDirect } from '../helpers/practice.js';

/**
 * The day rules decided inside sg_apply_session, under the user's row lock: concurrent applies of
 * one user's sessions decide one after the other, and the 7-day and local-day windows reopen.
 * (fair-play-sql.test.ts holds the SQL functions to their TypeScript specification.)
 */
const t = createTestApp();
afterAll(() => t.close());
const { prisma } = t.deps;

/** A line the heuristic rates S+ (it earns the session's gem), made distinct by `n`. */
const S_PLUS_FOOD = ['Tacos Friday', 'Ramen Saturday', 'Dumplings Thursday', 'Pizza Sunday'];
function sPlusChat(n: number) {
  const food = S_PLUS_FOOD[n % S_PLUS_FOOD.length] ?? '';
  return [
    { role: 'AI', content: 'You seem pretty sure of yourself haha' },
    {
      role: 'USER',
      content: `Pretty sure? I'll take it, though I'm framing that compliment 😄 You have a great eye for people. ${food} at ${String(5 + Math.floor(n / S_PLUS_FOOD.length))} so you can prove it?`,
    },
  ];
}

async function template(rewards: { xp: number; coins: number; gems: number }) {
  return prisma.practiceMissionTemplate.create({
    data: {
      code: `fair-${randomUUID()}`,
      title: 'Fair play',
      description: 'd',
      category: 'OPENERS',
      passScore: 50,
      rewardXp: rewards.xp,
      rewardCoins: rewards.coins,
      rewardGems: rewards.gems,
    },
  });
}

function deps(clock?: () => Date) {
  return {
    prisma,
    provider: heuristicProvider,
    publish: () => Promise.resolve(),
    ...(clock ? { clock } : {}),
  };
}

interface StoredRewards extends PayableRewards {
  isSuccess: boolean;
  levelUpGems: number;
  messages: (PayableRewards['messages'][number] & { rarity: string })[];
}
async function rewardsOf(sessionId: string): Promise<StoredRewards> {
  const row = await prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId } });
  return (row.aiSummary as unknown as { rewards: StoredRewards }).rewards;
}

describe('sg_apply_session: the day rules under concurrency', () => {
  it('pays one mission bonus and at most 3 session gems when one user’s sessions apply at once', async () => {
    const user = await createUser(t.app);
    const mission = await template({ xp: 40, coins: 10, gems: 1 });
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        submitDirect(prisma, user.id, { messages: sPlusChat(n), templateId: mission.id }),
      ),
    );
    const outcomes = await Promise.all(ids.map((sessionId) => scoreSession({ sessionId }, deps())));
    expect(outcomes).toEqual(ids.map(() => 'applied'));

    const all = await Promise.all(ids.map(rewardsOf));
    // Every session succeeded with an S+ line: without the day rules, 6 bonuses and 12 gems.
    expect(all.map((r) => [r.isSuccess, r.messages[0]?.rarity])).toEqual(
      all.map(() => [true, 'S+']),
    );
    const paid = all.filter((r) => r.missionBonus.xp > 0);
    expect(paid).toHaveLength(1);
    expect(all.filter((r) => r.limitedBy.includes('MISSION_BONUS_PAID_TODAY'))).toHaveLength(5);
    const sessionGems = all.reduce((a, r) => a + r.gemsGained - r.levelUpGems, 0);
    expect(sessionGems).toBe(3);
    expect(all.filter((r) => r.limitedBy.includes('DAILY_GEM_CAP')).length).toBeGreaterThan(0);
    const { ledger } = await expectConsistentRewards(prisma, user.id);
    const rewardGems = ledger
      .filter((e) => e.kind === 'SESSION_REWARD')
      .reduce((a, e) => a + e.gems, 0);
    expect(rewardGems).toBe(3);

    const progress = await prisma.missionProgress.findUniqueOrThrow({
      where: { userId_templateId: { userId: user.id, templateId: mission.id } },
    });
    const scores = await prisma.practiceSession.findMany({ where: { id: { in: ids } } });
    expect(progress).toMatchObject({
      attempts: 6,
      passed: true,
      bestScore: Math.max(...scores.map((s) => s.score ?? 0)),
    });
    expect(progress.lastBonusAt).not.toBeNull();
  });

  it('pays only one of four identical sessions applied at once', async () => {
    const user = await createUser(t.app);
    const ids = await Promise.all(
      [0, 1, 2, 3].map(() => submitDirect(prisma, user.id, { messages: goodChat(3) })),
    );
    await Promise.all(ids.map((sessionId) => scoreSession({ sessionId }, deps())));
    const all = await Promise.all(ids.map(rewardsOf));
    expect(all.filter((r) => r.withheld === 'REPEATED_CONTENT')).toHaveLength(3);
    expect(all.filter((r) => r.xpGained > 0)).toHaveLength(1);
    const { ledger } = await expectConsistentRewards(prisma, user.id);
    // A withheld session still has its (zero) reward entry: one per COMPLETED session.
    expect(ledger.filter((e) => e.kind === 'SESSION_REWARD')).toHaveLength(4);
  });
});

describe('sg_apply_session: the windows', () => {
  it('pays repeated content again after 7 days, and the bonus again the next local day', async () => {
    const user = await createUser(t.app, { timezone: 'Asia/Tokyo' });
    const mission = await template({ xp: 30, coins: 5, gems: 0 });
    const run = async (at: string) => {
      const sessionId = await submitDirect(prisma, user.id, {
        messages: goodChat(5),
        templateId: mission.id,
      });
      expect(
        await scoreSession(
          { sessionId },
          deps(() => new Date(at)),
        ),
      ).toBe('applied');
      return rewardsOf(sessionId);
    };
    const first = await run('2026-03-01T14:00:00Z'); // 23:00 in Tokyo
    expect(first.withheld).toBeUndefined();
    expect(first.missionBonus.xp).toBe(30);
    const sixDays = await run('2026-03-07T14:00:00Z');
    expect(sixDays.withheld).toBe('REPEATED_CONTENT');
    expect(sixDays.xpGained).toBe(0);
    // 7 days after the last completed session with this content, it pays again.
    const later = await run('2026-03-14T14:00:01Z');
    expect(later.withheld).toBeUndefined();
    expect(later.missionBonus.xp).toBe(30);

    const other = async (n: number, at: string) => {
      const sessionId = await submitDirect(prisma, user.id, {
        messages: goodChat(n),
        templateId: mission.id,
      });
      await scoreSession(
        { sessionId },
        deps(() => new Date(at)),
      );
      return rewardsOf(sessionId);
    };
    // 23:30 in Tokyo the same local day: bonus already paid; 00:30 the next local day: paid.
    expect((await other(6, '2026-03-14T14:30:00Z')).missionBonus.xp).toBe(0);
    expect((await other(7, '2026-03-14T15:30:00Z')).missionBonus.xp).toBe(30);
    await expectConsistentRewards(prisma, user.id);
  });
});
