import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';

/**
 * A mission's word limit (issue 9) holds on the A/B and voice routes too: over it a submit answers
 * 400 and stores nothing. No worker runs: nothing is scored.
 */
const t = createTestApp();
afterAll(() => t.close());

/** A mission whose replies may have at most 10 words. */
const limitedMission = () =>
  t.deps.prisma.practiceMissionTemplate.create({
    data: {
      code: `limit-${randomUUID()}`,
      title: 'Keep it short',
      description: 'd',
      category: 'FLIRTING',
      passScore: 50,
      rewardXp: 40,
      rewardCoins: 10,
      wordLimit: 10,
    },
  });

describe('template limits on every mode', () => {
  const post = (path: string, user: TestUser, body: Record<string, unknown>) =>
    request(t.app)
      .post(`/v1/practice/${path}`)
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .send(body);
  const twelveWords = 'one two three four five six seven eight nine ten eleven twelve';

  it('refuses an A/B option over the word limit with 400, storing nothing', async () => {
    const user = await createUser(t.app);
    const limited = await limitedMission();
    for (const [optionA, optionB] of [
      [twelveWords, 'Coffee on Sunday?'],
      ['Coffee on Sunday?', twelveWords],
    ]) {
      const res = await post('ab-session', user, { templateId: limited.id, optionA, optionB });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('TEMPLATE_LIMIT_EXCEEDED');
    }
    expect(await t.deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
    const ok = await post('ab-session', user, {
      templateId: limited.id,
      optionA: 'Coffee on Sunday?',
      optionB: 'Tea at the market on Saturday?',
    });
    expect(ok.status).toBe(202);
  });

  it('refuses a voice transcript over the word limit with 400, storing nothing', async () => {
    const user = await createUser(t.app);
    const limited = await limitedMission();
    const res = await post('voice-session', user, {
      templateId: limited.id,
      transcript: twelveWords,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('TEMPLATE_LIMIT_EXCEEDED');
    expect(await t.deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
    const ok = await post('voice-session', user, {
      templateId: limited.id,
      transcript: 'I fix bikes. What do you do on weekends?',
    });
    expect(ok.status).toBe(202);
  });
});
