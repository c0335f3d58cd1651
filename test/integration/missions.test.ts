import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../helpers/factories.js';
import { goodChat, submitText, waitForTerminal } from '../helpers/practice.js';
import { appWithWorkerOnClock } from '../helpers/stack.js';

/**
 * GET /v1/missions: the active templates with the caller's progress, which only the apply writes.
 * Sessions are scored by a real BullMQ worker; one clock drives the app (timezone changes, the
 * read's "today") and the worker (when sessions complete), so a local day can pass in a test.
 */
const { app, deps, at } = appWithWorkerOnClock('2026-03-01T10:00:00Z');

interface Mission {
  id: string;
  progress: {
    attempts: number;
    bestScore: number;
    passed: boolean;
    lastPlayedAt: string | null;
    bonusAvailableToday: boolean;
  };
}

async function missions(user: TestUser): Promise<Mission[]> {
  const res = await request(app).get('/v1/missions').set(user.auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.ok).toBe(true);
  return res.body.missions as Mission[];
}

async function progressOf(user: TestUser, templateId: string) {
  const found = (await missions(user)).find((m) => m.id === templateId);
  expect(found, `template ${templateId} listed`).toBeDefined();
  return found?.progress;
}

const UNTOUCHED = {
  attempts: 0,
  bestScore: 0,
  passed: false,
  lastPlayedAt: null,
  bonusAvailableToday: true,
};

/** An active template of our own: goodChat() passes it, poorChat() fails it. */
function template(passScore = 50) {
  return deps.prisma.practiceMissionTemplate.create({
    data: {
      code: `missions-${randomUUID()}`,
      title: 'Ask them out',
      description: 'Turn the chat into a plan',
      category: 'OPENERS',
      passScore,
      rewardXp: 30,
      rewardCoins: 10,
      rewardGems: 0,
    },
  });
}

let chat = 0;
/** A reply with no effort in it: the heuristic scores it far below 50. */
const poorChat = (n: number) => [
  { role: 'AI', content: 'How was your weekend?' },
  { role: 'USER', content: n % 2 ? 'meh' : 'ok' },
];

/** Plays one templated session (new content each time) to COMPLETED; its view. */
async function play(user: TestUser, templateId: string, quality: 'good' | 'poor' = 'good') {
  const messages = quality === 'good' ? goodChat(chat++) : poorChat(chat++);
  const res = await submitText(app, user, { messages, templateId });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const done = await waitForTerminal(app, user, res.body.sessionId as string);
  expect(done.body.status, JSON.stringify(done.body.error)).toBe('COMPLETED');
  return done.body as {
    completedAt: string;
    result: { score: number; isSuccess: boolean; rewards: { missionBonus: { xp: number } } };
  };
}

describe('GET /v1/missions', () => {
  it('requires authentication', async () => {
    expect((await request(app).get('/v1/missions')).status).toBe(401);
    const bad = await request(app).get('/v1/missions').set('Authorization', 'Bearer nope');
    expect(bad.body).toMatchObject({ status: 401, code: 'AUTH_INVALID' });
  });

  it('rejects invalid input with 400 VALIDATION_FAILED', async () => {
    const user = await createUser(app);
    for (const query of ['category=DANCING', 'limit=5']) {
      const res = await request(app).get(`/v1/missions?${query}`).set(user.auth);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lists the active templates exactly as /v1/templates does, with untouched progress', async () => {
    const user = await createUser(app);
    const [openers, retired] = await Promise.all([template(), template()]);
    await deps.prisma.practiceMissionTemplate.update({
      where: { id: retired.id },
      data: { active: false },
    });
    const flirting = await deps.prisma.practiceMissionTemplate.create({
      data: {
        code: `missions-${randomUUID()}`,
        title: 'Tease back',
        description: 'Answer a tease with one',
        category: 'FLIRTING',
        difficulty: 2,
        timeLimitSec: 90,
        maxMessages: 4,
        wordLimit: 40,
        passScore: 65,
        rewardXp: 20,
        rewardCoins: 5,
        rewardGems: 1,
      },
    });
    const [list, templates] = await Promise.all([
      missions(user),
      request(app).get('/v1/templates').set(user.auth),
    ]);
    expect(list.map(({ progress: _, ...rest }) => rest)).toEqual(templates.body.templates);
    expect(list.map((m) => m.progress)).toEqual(list.map(() => UNTOUCHED));
    const ids = list.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([openers.id, flirting.id]));
    expect(ids).not.toContain(retired.id);

    const one = await request(app).get('/v1/missions?category=FLIRTING').set(user.auth);
    const oneTemplates = await request(app).get('/v1/templates?category=FLIRTING').set(user.auth);
    const byCategory = one.body.missions as Mission[];
    expect(byCategory.map(({ progress: _, ...rest }) => rest)).toEqual(oneTemplates.body.templates);
    expect(byCategory.find((m) => m.id === flirting.id)).toEqual({
      id: flirting.id,
      code: flirting.code,
      title: 'Tease back',
      description: 'Answer a tease with one',
      category: 'FLIRTING',
      difficulty: 2,
      personaId: null,
      timeLimitSec: 90,
      maxMessages: 4,
      wordLimit: 40,
      passScore: 65,
      rewards: { xp: 20, coins: 5, gems: 1 },
      progress: UNTOUCHED,
    });
  });

  it('counts attempts, the best score and the first pass, and spends the day’s bonus on a pass', async () => {
    at('2026-03-01T10:00:00Z');
    const user = await createUser(app);
    const mission = await template();

    const failed = await play(user, mission.id, 'poor');
    expect(failed.result.isSuccess).toBe(false);
    expect(await progressOf(user, mission.id)).toEqual({
      attempts: 1,
      bestScore: failed.result.score,
      passed: false,
      lastPlayedAt: failed.completedAt,
      bonusAvailableToday: true,
    });

    at('2026-03-01T11:00:00Z');
    const passed = await play(user, mission.id);
    expect(passed.result.isSuccess).toBe(true);
    expect(passed.result.rewards.missionBonus.xp).toBe(30);
    expect(passed.result.score).toBeGreaterThan(failed.result.score);
    expect(await progressOf(user, mission.id)).toEqual({
      attempts: 2,
      bestScore: passed.result.score,
      passed: true,
      lastPlayedAt: passed.completedAt,
      bonusAvailableToday: false,
    });

    // A later failing attempt counts, keeps the best score, and never takes the pass back.
    at('2026-03-01T12:00:00Z');
    const again = await play(user, mission.id, 'poor');
    expect(again.result.isSuccess).toBe(false);
    expect(await progressOf(user, mission.id)).toEqual({
      attempts: 3,
      bestScore: passed.result.score,
      passed: true,
      lastPlayedAt: again.completedAt,
      bonusAvailableToday: false,
    });
  });

  it('shows one user’s progress to that user only', async () => {
    at('2026-03-02T10:00:00Z');
    const [player, other] = await Promise.all([createUser(app), createUser(app)]);
    const mission = await template();
    await play(player, mission.id);
    expect((await progressOf(player, mission.id))?.attempts).toBe(1);
    expect(await progressOf(other, mission.id)).toEqual(UNTOUCHED);
  });

  it('offers the bonus again on the next local day, as the apply then pays it', async () => {
    const user = await createUser(app, { timezone: 'Asia/Tokyo' });
    const mission = await template();
    at('2026-03-03T14:00:00Z'); // 23:00 in Tokyo
    expect((await play(user, mission.id)).result.rewards.missionBonus.xp).toBe(30);
    at('2026-03-03T14:50:00Z'); // 23:50, the same local day
    expect((await progressOf(user, mission.id))?.bonusAvailableToday).toBe(false);
    expect((await play(user, mission.id)).result.rewards.missionBonus.xp).toBe(0);
    at('2026-03-03T15:10:00Z'); // 00:10 the next local day
    expect((await progressOf(user, mission.id))?.bonusAvailableToday).toBe(true);
    expect((await play(user, mission.id)).result.rewards.missionBonus.xp).toBe(30);
    expect((await progressOf(user, mission.id))?.bonusAvailableToday).toBe(false);
  });

  it('counts days in the zone of before a timezone change for 24 hours, as the apply does', async () => {
    const user = await createUser(app, { timezone: 'Asia/Tokyo' });
    const mission = await template();
    at('2026-03-05T14:00:00Z'); // 23:00 in Tokyo, 06:00 in Los Angeles (both 5 March)
    expect((await play(user, mission.id)).result.rewards.missionBonus.xp).toBe(30);
    at('2026-03-05T14:10:00Z');
    const moved = await request(app)
      .patch('/v1/profile/preferences')
      .set(user.auth)
      .send({ timezone: 'America/Los_Angeles' });
    expect(moved.status).toBe(200);
    // 00:30 on 6 March in Tokyo, still 5 March in Los Angeles: days are still Tokyo's, so the
    // bonus is available again (the new zone alone would say it was paid today), and paid.
    at('2026-03-05T15:30:00Z');
    expect((await progressOf(user, mission.id))?.bonusAvailableToday).toBe(true);
    expect((await play(user, mission.id)).result.rewards.missionBonus.xp).toBe(30);
    expect((await progressOf(user, mission.id))?.bonusAvailableToday).toBe(false);
  });
});
