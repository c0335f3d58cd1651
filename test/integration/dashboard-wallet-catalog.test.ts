import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from '../../prisma/catalog.js';
import { createUser } from '../helpers/factories.js';
import {
  GOOD_CHAT,
  expectConsistentRewards,
  submitText,
  waitForTerminal,
} from '../helpers/practice.js';
import { appWithWorker } from '../helpers/stack.js';

const { app, deps } = appWithWorker();
beforeAll(() => seedCatalog(deps.prisma));

describe('GET /v1/stats/dashboard', () => {
  it('requires authentication', async () => {
    expect((await request(app).get('/v1/stats/dashboard')).status).toBe(401);
  });

  it('answers zeros and nulls for a new user', async () => {
    const user = await createUser(app);
    const res = await request(app).get('/v1/stats/dashboard').set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      user: { id: user.id, email: user.email },
      streak: { current: 0, best: 0, lastActiveAt: null, activeToday: false },
      wallet: {
        xp: 0,
        level: 1,
        coins: 0,
        gems: 0,
        lifetimeXp: 0,
        xpIntoLevel: 0,
        xpForNextLevel: 100,
      },
      stats: {
        sessionsCount: 0,
        successCount: 0,
        failCount: 0,
        averageScore: 0,
        averageMessageScore: 0,
        lastSessionAt: null,
        latest: null,
        insights: { latest: null, trends: { improvingTraits: [], decliningTraits: [] } },
        socialScore: null,
        socialTier: null,
        recentSessions: [],
      },
    });
    expect(Object.keys(res.body.stats.averages).sort()).toEqual(
      [
        'avgCharismaIndex',
        'avgClarity',
        'avgConfidence',
        'avgDominance',
        'avgFillerWords',
        'avgHumor',
        'avgTension',
        'avgTotalMessages',
        'avgTotalWords',
        'avgWarmth',
      ].sort(),
    );
  });

  it('reflects completed sessions from stored rows', async () => {
    const user = await createUser(app);
    const done = [];
    for (let i = 0; i < 2; i++) {
      const res = await submitText(app, user);
      done.push((await waitForTerminal(app, user, res.body.sessionId as string)).body);
    }
    const res = await request(app).get('/v1/stats/dashboard').set(user.auth);
    const { stats, wallet, streak } = res.body;
    const { wallet: stored } = await expectConsistentRewards(deps.prisma, user.id);
    expect(wallet).toMatchObject({
      xp: stored.xp,
      coins: stored.coins,
      gems: stored.gems,
      level: stored.level,
    });
    expect(stats.sessionsCount).toBe(2);
    expect(stats.successCount + stats.failCount).toBe(2);
    expect(stats.averageScore).toBeCloseTo((done[0].result.score + done[1].result.score) / 2, 1);
    expect(stats.latest.charismaIndex).toBe(done[1].result.aiCore.metrics.charismaIndex);
    expect(stats.latest.aiCoreVersion).toMatch(/^heuristic-/);
    expect(stats.recentSessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([
      done[1].sessionId,
      done[0].sessionId,
    ]);
    expect(stats.insights.latest).toEqual(done[1].result.insights);
    expect(typeof stats.socialScore).toBe('number');
    expect(typeof stats.socialTier).toBe('string');
    expect(streak).toMatchObject({ current: 1, best: 1, activeToday: true });
    // Another user's dashboard is untouched.
    const other = await createUser(app);
    expect(
      (await request(app).get('/v1/stats/dashboard').set(other.auth)).body.stats.sessionsCount,
    ).toBe(0);
  });
});

describe('GET /v1/wallet/me and /v1/wallet/transactions', () => {
  it('require authentication', async () => {
    expect((await request(app).get('/v1/wallet/me')).status).toBe(401);
    expect((await request(app).get('/v1/wallet/transactions')).status).toBe(401);
  });

  it("answer the caller's wallet and ledger, newest first, paginated", async () => {
    const user = await createUser(app);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await submitText(app, user);
      await waitForTerminal(app, user, res.body.sessionId as string);
      ids.push(res.body.sessionId as string);
    }
    const me = await request(app).get('/v1/wallet/me').set(user.auth);
    expect(me.body.wallet).toMatchObject({
      level: expect.any(Number),
      updatedAt: expect.any(String),
    });
    const entries: { sessionId: string; kind: string; xp: number }[] = [];
    let cursor: string | null = null;
    do {
      const res = await request(app)
        .get('/v1/wallet/transactions')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set(user.auth);
      expect(res.status).toBe(200);
      entries.push(...res.body.items);
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    const rewards = entries.filter((e) => e.kind === 'SESSION_REWARD');
    expect(rewards.map((e) => e.sessionId)).toEqual([...ids].reverse());
    expect(entries.reduce((a, e) => a + e.xp, 0)).toBe(me.body.wallet.lifetimeXp);
    const other = await createUser(app);
    expect((await request(app).get('/v1/wallet/transactions').set(other.auth)).body.items).toEqual(
      [],
    );
  });
});

describe('catalog', () => {
  it('requires authentication', async () => {
    expect((await request(app).get('/v1/personas')).status).toBe(401);
    expect((await request(app).get('/v1/templates')).status).toBe(401);
  });

  it('lists active personas and templates, filtered by category', async () => {
    const user = await createUser(app);
    const personas = await request(app).get('/v1/personas').set(user.auth);
    expect(personas.body.personas.length).toBeGreaterThanOrEqual(4);
    expect(personas.body.personas[0]).toEqual({
      id: expect.any(String),
      code: expect.any(String),
      name: expect.any(String),
      shortLabel: expect.any(String),
      description: expect.any(String),
      style: expect.any(String),
      difficulty: expect.any(Number),
      avatarUrl: null,
    });
    const all = await request(app).get('/v1/templates').set(user.auth);
    expect(all.body.templates.length).toBeGreaterThanOrEqual(6);
    const flirting = await request(app).get('/v1/templates?category=FLIRTING').set(user.auth);
    expect(flirting.body.templates.length).toBeGreaterThan(0);
    expect(
      flirting.body.templates.every((x: { category: string }) => x.category === 'FLIRTING'),
    ).toBe(true);
    expect(flirting.body.templates[0].rewards).toEqual({
      xp: expect.any(Number),
      coins: expect.any(Number),
      gems: expect.any(Number),
    });
    const bad = await request(app).get('/v1/templates?category=DANCING').set(user.auth);
    expect(bad.status).toBe(400);
    await deps.prisma.aiPersona.update({ where: { code: 'dan' }, data: { active: false } });
    try {
      const after = await request(app).get('/v1/personas').set(user.auth);
      expect(after.body.personas.map((p: { code: string }) => p.code)).not.toContain('dan');
    } finally {
      await deps.prisma.aiPersona.update({ where: { code: 'dan' }, data: { active: true } });
    }
  });
});

describe('missions', () => {
  it('enforces template limits on USER messages', async () => {
    const user = await createUser(app);
    const template = await deps.prisma.practiceMissionTemplate.findUniqueOrThrow({
      where: { code: 'opener-first-message' },
    });
    const tooMany = Array.from({ length: (template.maxMessages ?? 0) + 1 }, () => ({
      role: 'USER',
      content: 'Hey there!',
    }));
    const res = await submitText(app, user, { templateId: template.id, messages: tooMany });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('TEMPLATE_LIMIT_EXCEEDED');
    const wordy = await submitText(app, user, {
      templateId: template.id,
      messages: [{ role: 'USER', content: 'word '.repeat((template.wordLimit ?? 0) + 1) }],
    });
    expect(wordy.body.code).toBe('TEMPLATE_LIMIT_EXCEEDED');
  });

  it('adds the mission bonus on success only', async () => {
    const user = await createUser(app);
    const template = await deps.prisma.practiceMissionTemplate.create({
      data: {
        code: `test-${randomUUID()}`,
        title: 'Easy',
        description: 'd',
        category: 'OPENERS',
        passScore: 1,
        rewardXp: 50,
        rewardCoins: 7,
        rewardGems: 1,
      },
    });
    const hard = await deps.prisma.practiceMissionTemplate.create({
      data: {
        code: `test-${randomUUID()}`,
        title: 'Impossible',
        description: 'd',
        category: 'OPENERS',
        passScore: 101,
        rewardXp: 50,
        rewardCoins: 7,
        rewardGems: 1,
      },
    });
    // Another user fails: to one user the same conversation again would earn nothing.
    const other = await createUser(app);
    const pass = await submitText(app, user, { templateId: template.id, messages: GOOD_CHAT });
    const fail = await submitText(app, other, { templateId: hard.id, messages: GOOD_CHAT });
    const passed = (await waitForTerminal(app, user, pass.body.sessionId as string)).body.result;
    const failed = (await waitForTerminal(app, other, fail.body.sessionId as string)).body.result;
    expect(passed.isSuccess).toBe(true);
    expect(passed.rewards.missionBonus).toEqual({ xp: 50, coins: 7, gems: 1 });
    expect(failed.isSuccess).toBe(false);
    expect(failed.rewards.missionBonus).toEqual({ xp: 0, coins: 0, gems: 0 });
    expect(passed.rewards.xpGained).toBe(failed.rewards.xpGained + 50);
    await expectConsistentRewards(deps.prisma, user.id);
    await expectConsistentRewards(deps.prisma, other.id);
  });
});
