import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../helpers/factories.js';
import { SPOKEN_TEXT } from '../helpers/fake-openai.js';
import { openAiStack } from '../helpers/openai-stack.js';
import { expectConsistentRewards, waitForTerminal } from '../helpers/practice.js';

/**
 * Template limits on uploaded voice: the words are known only after the worker transcribed the
 * clip, so the worker checks them; over the limit is refused as at submit (FAILED with
 * TEMPLATE_LIMIT_EXCEEDED, nothing granted).
 */
const s = openAiStack();
const clip = readFileSync(new URL('../fixtures/audio/spoken.wav', import.meta.url));

function upload(user: TestUser, templateId: string) {
  return request(s.app)
    .post('/v1/practice/voice-session')
    .set(user.auth)
    .set('Idempotency-Key', randomUUID())
    .field('templateId', templateId)
    .attach('audio', clip, 'clip.wav');
}

async function mission(wordLimit: number) {
  return s.deps.prisma.practiceMissionTemplate.create({
    data: {
      code: `voice-${randomUUID()}`,
      title: 'Say it',
      description: 'd',
      category: 'OPENERS',
      passScore: 50,
      wordLimit,
      rewardXp: 40,
      rewardCoins: 10,
      rewardGems: 1,
    },
  });
}

describe('POST /v1/practice/voice-session with audio and a template', () => {
  it(
    'fails a clip whose transcript is over the word limit with TEMPLATE_LIMIT_EXCEEDED, and scores one within it',
    { timeout: 90_000 },
    async () => {
      const user = await createUser(s.app);
      const words = SPOKEN_TEXT.split(/\s+/).length;
      const res = await upload(user, (await mission(words - 1)).id);
      expect(res.status).toBe(202);
      const done = await waitForTerminal(s.app, user, res.body.sessionId as string);
      expect(done.body.status).toBe('FAILED');
      expect(done.body.error.code).toBe('TEMPLATE_LIMIT_EXCEEDED');
      expect(done.body.result).toBeNull();
      // Refused before scoring: no judge call, nothing granted; what was heard is kept.
      expect(s.fake.of('chat')).toHaveLength(0);
      const row = await s.deps.prisma.practiceSession.findUniqueOrThrow({
        where: { id: res.body.sessionId as string },
      });
      expect(row.input).toMatchObject({ transcript: SPOKEN_TEXT });
      const { wallet, ledger } = await expectConsistentRewards(s.deps.prisma, user.id);
      expect(ledger).toHaveLength(0);
      expect(wallet.lifetimeXp).toBe(0);

      // The same clip under a limit it keeps is scored and pays the mission bonus.
      const within = await upload(user, (await mission(words)).id);
      const scored = await waitForTerminal(s.app, user, within.body.sessionId as string);
      expect(scored.body.status).toBe('COMPLETED');
      expect(scored.body.result.rewards.missionBonus).toEqual({ xp: 40, coins: 10, gems: 1 });
      await expectConsistentRewards(s.deps.prisma, user.id);
    },
  );
});
