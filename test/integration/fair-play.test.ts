import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../helpers/factories.js';
import {
  expectConsistentRewards,
  GOOD_CHAT,
  goodChat,
  submitText,
  waitForTerminal,
} from '../helpers/practice.js';
import { appWithWorkerOnClock } from '../helpers/stack.js';

/**
 * The farming loops of issue 9, played through the real API against a real BullMQ worker,
 * Postgres and Redis. One clock drives the app (timezone changes, the dashboard) and the worker
 * (when sessions complete), so a day can pass inside a test.
 */
const { app, deps, at, advance } = appWithWorkerOnClock('2026-03-10T12:00:00Z');

interface Rewards {
  xpGained: number;
  coinsGained: number;
  gemsGained: number;
  levelUpGems: number;
  missionBonus: { xp: number; coins: number; gems: number };
  limitedBy: string[];
  withheld?: string;
  messages: { xp: number; withheld?: string }[];
}
interface Result {
  score: number;
  isSuccess: boolean;
  rewards: Rewards;
}

/** Submits a text session and waits for its result. */
async function play(user: TestUser, body: Record<string, unknown>): Promise<Result> {
  const res = await submitText(app, user, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const done = await waitForTerminal(app, user, res.body.sessionId as string);
  expect(done.body.status, JSON.stringify(done.body.error)).toBe('COMPLETED');
  return done.body.result as Result;
}

async function wallet(user: TestUser) {
  const res = await request(app).get('/v1/wallet/me').set(user.auth);
  expect(res.status).toBe(200);
  return res.body.wallet as { xp: number; lifetimeXp: number; coins: number; gems: number };
}

/** Gems from sessions (S+ and mission), without the level-up gems. */
async function sessionGems(user: TestUser) {
  const ledger = await deps.prisma.walletLedgerEntry.findMany({
    where: { userId: user.id, kind: 'SESSION_REWARD' },
  });
  return ledger.reduce((a, e) => a + e.gems, 0);
}

async function mission(over: { wordLimit?: number; rewardGems?: number } = {}) {
  return deps.prisma.practiceMissionTemplate.create({
    data: {
      code: `farm-${randomUUID()}`,
      title: 'Ask them out',
      description: 'd',
      category: 'FLIRTING',
      passScore: 50,
      rewardXp: 40,
      rewardCoins: 10,
      rewardGems: over.rewardGems ?? 0,
      wordLimit: over.wordLimit ?? null,
    },
  });
}

/** A reply the heuristic rates S+ (a gem), made distinct by `n`. */
const FOOD = [
  'Tacos Friday',
  'Ramen Saturday',
  'Dumplings Thursday',
  'Pizza Sunday',
  'Curry Monday',
];
const sPlusChat = (n: number) => [
  { role: 'AI', content: 'You seem pretty sure of yourself haha' },
  {
    role: 'USER',
    content: `Pretty sure? I'll take it, though I'm framing that compliment 😄 You have a great eye for people. ${FOOD[n % FOOD.length] ?? ''} at ${String(5 + n)} so you can prove it?`,
  },
];

/** Thirty different hesitant replies: weak (C) but not low-effort. */
const TOPICS = [
  'the weather',
  'my job',
  'the bus',
  'lunch',
  'the gym',
  'my cat',
  'football',
  'the news',
  'my week',
  'the rain',
  'music',
  'movies',
  'the traffic',
  'my phone',
  'the office',
  'dinner',
  'my neighbours',
  'the train',
  'cooking',
  'the park',
  'my laptop',
  'shopping',
  'the beach',
  'my sister',
  'the garden',
  'breakfast',
  'the internet',
  'my car',
  'the city',
  'homework',
];
const HESITANT = TOPICS.map((topic) => ({
  role: 'USER',
  content: `uh like i dunno, i guess maybe ${topic} is sort of fine, you know`,
}));

describe('the farming loop', () => {
  it('pays nothing for 20 sessions of low-effort "k" messages', async () => {
    at('2026-03-10T12:00:00Z');
    const user = await createUser(app);
    for (let i = 0; i < 20; i++) {
      // 60 "k"s, then fewer, so no two sessions are the same content either.
      const messages = Array.from({ length: 60 - i }, () => ({ role: 'USER', content: 'k' }));
      const result = await play(user, { messages });
      expect(result.isSuccess).toBe(false);
      expect(result.rewards.xpGained).toBe(0);
      expect(result.rewards.limitedBy).toContain('LOW_EFFORT');
      expect(result.rewards.withheld).toBeUndefined();
    }
    expect(await wallet(user)).toMatchObject({ lifetimeXp: 0, coins: 0, gems: 0 });
    await expectConsistentRewards(deps.prisma, user.id);
  });

  it('caps a session that does not succeed at half the caps', async () => {
    at('2026-03-10T12:00:00Z');
    const user = await createUser(app);
    const result = await play(user, { messages: HESITANT });
    expect(result.isSuccess).toBe(false);
    expect(result.rewards).toMatchObject({ xpGained: 60, coinsGained: 20 });
    expect(result.rewards.limitedBy).toEqual(['NOT_PASSED_HALF_CAPS']);
    // The same replies twice in one session: the second of each earns nothing.
    const twice = await play(user, {
      messages: [...HESITANT.slice(0, 3), ...HESITANT.slice(0, 3)],
    });
    expect(twice.rewards.messages.map((m) => m.withheld ?? null)).toEqual([
      null,
      null,
      null,
      'REPEATED_MESSAGE',
      'REPEATED_MESSAGE',
      'REPEATED_MESSAGE',
    ]);
    expect(twice.rewards.xpGained).toBe(12);
    await expectConsistentRewards(deps.prisma, user.id);
  });

  it('withholds a good session replayed, however it is written, for 7 days', async () => {
    at('2026-03-10T12:00:00Z');
    const user = await createUser(app);
    const first = await play(user, { messages: GOOD_CHAT });
    expect(first.rewards.xpGained).toBeGreaterThan(0);
    const replays = [
      GOOD_CHAT,
      // Other AI lines, other case, spacing and punctuation: the same USER messages.
      [
        { role: 'AI', content: 'hello' },
        {
          role: 'USER',
          content: 'fun!!  what did you make?? i have always wanted to try the WHEEL',
        },
        { role: 'AI', content: 'a mug' },
        {
          role: 'USER',
          content: 'A wonky mug has character... Lets test it over coffee on Sunday',
        },
      ],
    ];
    for (let i = 0; i < 8; i++) {
      advance(20 * 3_600_000); // 20 hours later each time
      const replay = await play(user, { messages: replays[i % 2] });
      expect(replay.score).toBeGreaterThan(0); // scored as usual…
      expect(replay.rewards).toMatchObject({
        xpGained: 0, // …but earns nothing, and says why
        coinsGained: 0,
        gemsGained: 0,
        withheld: 'REPEATED_CONTENT',
      });
    }
    const w = await wallet(user);
    expect(w.lifetimeXp).toBe(first.rewards.xpGained);
    expect(w.coins).toBe(first.rewards.coinsGained);
    // Something new pays at once.
    expect((await play(user, { messages: goodChat(9) })).rewards.xpGained).toBeGreaterThan(0);
    await expectConsistentRewards(deps.prisma, user.id);
  });

  it('pays a gem-bonus mission once a day and at most 3 session gems a day', async () => {
    at('2026-03-10T09:00:00Z');
    const user = await createUser(app);
    const gemMission = await mission({ rewardGems: 2 });
    const results: Result[] = [];
    for (let n = 0; n < 5; n++) {
      results.push(await play(user, { templateId: gemMission.id, messages: sPlusChat(n) }));
      advance(30 * 60_000);
    }
    // The same pass again, exactly: nothing at all.
    const again = await play(user, { templateId: gemMission.id, messages: sPlusChat(0) });
    expect(again.rewards.withheld).toBe('REPEATED_CONTENT');

    expect(results.every((r) => r.isSuccess)).toBe(true);
    expect(results.map((r) => r.rewards.missionBonus.xp)).toEqual([40, 0, 0, 0, 0]);
    expect(results[1]?.rewards.limitedBy).toContain('MISSION_BONUS_PAID_TODAY');
    // Without the rules: 5 × (1 S+ gem + 2 mission gems) = 15.
    expect(await sessionGems(user)).toBe(3);
    expect(results[1]?.rewards.limitedBy).toContain('DAILY_GEM_CAP');

    // The next day the bonus and the gems are there again.
    at('2026-03-11T09:00:00Z');
    const nextDay = await play(user, { templateId: gemMission.id, messages: sPlusChat(5) });
    expect(nextDay.rewards.missionBonus).toEqual({ xp: 40, coins: 10, gems: 2 });
    expect(await sessionGems(user)).toBe(6);
    await expectConsistentRewards(deps.prisma, user.id);
  });
});

describe('the streak and timezone switching', () => {
  const patchZone = (user: TestUser, timezone: string) =>
    request(app).patch('/v1/profile/preferences').set(user.auth).send({ timezone });
  const streak = async (user: TestUser) => {
    const res = await request(app).get('/v1/stats/dashboard').set(user.auth);
    expect(res.status).toBe(200);
    return res.body.streak as { current: number; activeToday: boolean };
  };

  it('does not grow the streak twice in 24 hours by switching to zones just past midnight', async () => {
    at('2026-03-10T12:10:00Z');
    const user = await createUser(app, { timezone: 'UTC' });
    await play(user, { messages: goodChat(20) });
    expect((await streak(user)).current).toBe(1);
    // Each hour, a zone where midnight has just passed (+11 at 13:10Z, +10 at 14:10Z…): counted
    // in that zone, the session an hour before was yesterday.
    const zones = [
      'Pacific/Noumea',
      'Australia/Brisbane',
      'Asia/Tokyo',
      'Asia/Shanghai',
      'Asia/Bangkok',
    ];
    for (const [i, zone] of zones.entries()) {
      advance(3_600_000);
      const res = await patchZone(user, zone);
      expect(res.status).toBe(200);
      expect(res.body.profile.timezone).toBe(zone); // the profile shows the choice at once
      await play(user, { messages: goodChat(21 + i) });
      expect((await streak(user)).current).toBe(1);
    }
    const row = await deps.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({
      timezone: 'Asia/Bangkok',
      previousTimezone: 'UTC',
      timezoneChangedAt: new Date('2026-03-10T17:10:00Z'),
    });

    // The next UTC day, still within 24 hours of the first session: one day more.
    at('2026-03-11T11:00:00Z');
    await play(user, { messages: goodChat(30) });
    expect(await streak(user)).toMatchObject({ current: 2, activeToday: true });
    const stored = await deps.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.streakCurrent).toBe(2);
  });
});
