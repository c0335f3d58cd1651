import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../helpers/factories.js';
import { expectConsistentRewards, waitForTerminal } from '../helpers/practice.js';
import { appWithWorker } from '../helpers/stack.js';

const { app, deps } = appWithWorker();

const post = (path: string, user: TestUser, body: unknown) =>
  request(app)
    .post(path)
    .set(user.auth)
    .set('Idempotency-Key', randomUUID())
    .send(body as object);

describe('POST /v1/practice/voice-session', () => {
  it('requires authentication', async () => {
    const res = await request(app)
      .post('/v1/practice/voice-session')
      .set('Idempotency-Key', 'k')
      .send({ transcript: 'hi' });
    expect(res.status).toBe(401);
  });

  it('rejects invalid input', async () => {
    const user = await createUser(app);
    for (const body of [
      {},
      { transcript: '' },
      { transcript: 'x'.repeat(20001) },
      { transcript: 'hi', durationSec: 0 },
      { transcript: 'hi', durationSec: 3601 },
      { transcript: 'hi', durationSec: '60' },
    ]) {
      const res = await post('/v1/practice/voice-session', user, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses an audio upload with 503 TRANSCRIPTION_UNAVAILABLE, storing nothing', async () => {
    const user = await createUser(app);
    const res = await request(app)
      .post('/v1/practice/voice-session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .attach('audio', Buffer.from('RIFF....WAVEfmt '), 'hello.wav');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('TRANSCRIPTION_UNAVAILABLE');
    expect(await deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
  });

  it('scores a transcript as speech, with pace when the duration is known', async () => {
    const user = await createUser(app);
    const transcript =
      "Hi, I'm Robin. I repair old pianos, which means I spend most evenings hunting for one sticky key. How long have you lived around here?";
    const res = await post('/v1/practice/voice-session', user, { transcript, durationSec: 10 });
    expect(res.status).toBe(202);
    expect(res.body.mode).toBe('voice');
    const done = await waitForTerminal(app, user, res.body.sessionId as string);
    expect(done.body.status).toBe('COMPLETED');
    expect(done.body.result.transcript).toBe(transcript);
    expect(done.body.result).not.toHaveProperty('ab');
    const words = transcript.split(/\s+/).length;
    expect(done.body.result.aiCore.metrics.wordsPerMinute).toBe(Math.round((words * 60) / 10));
    const rows = await deps.prisma.chatMessage.findMany({
      where: { sessionId: res.body.sessionId as string },
    });
    expect(rows.map((r) => r.content)).toEqual([transcript]);
    await expectConsistentRewards(deps.prisma, user.id);
  });
});

describe('POST /v1/practice/ab-session', () => {
  it('requires authentication', async () => {
    const res = await request(app)
      .post('/v1/practice/ab-session')
      .set('Idempotency-Key', 'k')
      .send({ optionA: 'a', optionB: 'b' });
    expect(res.status).toBe(401);
  });

  it('rejects invalid input', async () => {
    const user = await createUser(app);
    for (const body of [
      {},
      { optionA: 'hi' },
      { optionA: '', optionB: 'x' },
      { optionA: 'a', optionB: 'b', prompt: 'x'.repeat(2001) },
    ]) {
      const res = await post('/v1/practice/ab-session', user, body);
      expect(res.status).toBe(400);
    }
  });

  it('picks the better option whichever side it is on, and rewards only the winner', async () => {
    // Two users: to one user the swapped pair is the same submission again (fair play).
    const users = [await createUser(app), await createUser(app)];
    const prompt = 'I just adopted a kitten!';
    const good = 'Congratulations! What did you call her? Send a picture when she is asleep';
    const bad = 'ok';
    const results = [];
    for (const [user, optionA, optionB] of [
      [users[0], good, bad],
      [users[1], bad, good],
    ] as const) {
      if (!user) throw new Error('no user');
      const res = await post('/v1/practice/ab-session', user, { prompt, optionA, optionB });
      expect(res.status).toBe(202);
      expect(res.body.mode).toBe('ab');
      results.push((await waitForTerminal(app, user, res.body.sessionId as string)).body);
    }
    const [first, second] = results;
    expect(first.result.ab.winner).toBe('A');
    expect(second.result.ab.winner).toBe('B');
    expect(first.result.ab.optionA.score).toBe(second.result.ab.optionB.score);
    expect(first.result.ab).toMatchObject({
      prompt,
      optionA: { text: good },
      optionB: { text: bad },
    });
    expect(first.result.rewards.messages).toHaveLength(1);
    expect(first.result.rewards.messages[0].index).toBe(0);
    expect(second.result.rewards.messages[0].index).toBe(1);
    expect(first.result.score).toBe(first.result.ab.optionA.score);
    expect(first.result.rewards.xpGained).toBe(second.result.rewards.xpGained);
    for (const user of users) await expectConsistentRewards(deps.prisma, user.id);
  });

  it('answers winner null on a tie and rewards option A', async () => {
    const user = await createUser(app);
    const res = await post('/v1/practice/ab-session', user, {
      optionA: 'Want to grab tacos on Friday?',
      optionB: 'Want to grab tacos on Friday?',
    });
    const done = await waitForTerminal(app, user, res.body.sessionId as string);
    expect(done.body.result.ab.winner).toBeNull();
    expect(done.body.result.rewards.messages[0].index).toBe(0);
  });
});
