import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { expect } from 'vitest';
import { scoreSession, type ScoreDeps } from '../../worker/processors/score-session.js';
import type { TestApp } from './app.js';
import { createUser, type TestUser } from './factories.js';
import { goodChat, submitText } from './practice.js';

/** A spoken clip (test/fixtures/audio) uploaded and left untranscribed: its bytes stay stored. */
export const CLIP = readFileSync(new URL('../fixtures/audio/spoken.wav', import.meta.url));

/** Settings under which uploads are accepted (a transcriber is configured) though none answers. */
export const UPLOADS_ACCEPTED = {
  TRANSCRIPTION_PROVIDER: 'openai',
  TRANSCRIPTION_API_KEY: 'sk-test-fake',
  TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:9/v1',
};

/** How the rate limiter names an account in its keys (api/middleware/rate-limit.ts). */
export const accountDigest = (email: string) =>
  createHash('sha256').update(email).digest('base64url');

export interface RichUser {
  user: TestUser;
  /** The completed text (with a mission), voice and A/B sessions, and the queued audio one. */
  sessions: { text: string; voice: string; ab: string; audio: string };
  /** A refresh token rotated once (its row has a successor). */
  rotatedFrom: string;
}

let variant = 0;

/** A mission template of its own, so mission progress rows are made by the apply. */
export async function missionTemplate(t: TestApp) {
  return t.deps.prisma.practiceMissionTemplate.create({
    data: {
      code: `test-${randomUUID()}`,
      title: 'Account fixture mission',
      description: 'd',
      category: 'OPENERS',
      passScore: 1,
      rewardXp: 20,
      rewardCoins: 3,
    },
  });
}

/**
 * A user with a row in every table a user can have rows in, made the way production makes them:
 * sessions of each mode submitted over HTTP and scored by the real processor (messages, ledger,
 * mission progress, stats, streak), an uploaded clip waiting for transcription, three refresh
 * tokens (signup, login, a rotation), idempotency keys, a failed login and reads (rate-limit keys
 * by account and by user). No route creates power-up usages or (yet, here) password-reset tokens:
 * one of each is inserted.
 */
export async function richUser(t: TestApp, deps: ScoreDeps, templateId: string): Promise<RichUser> {
  const { app } = t;
  const prisma = t.deps.prisma;
  const user = await createUser(app);
  const n = variant++;
  const tag = randomBytes(4).toString('hex');

  const login = await request(app)
    .post('/v1/auth/login')
    .send({ email: user.email, password: user.password });
  expect(login.status).toBe(200);
  const rotated = await request(app)
    .post('/v1/auth/refresh')
    .send({ refreshToken: login.body.refreshToken as string });
  expect(rotated.status).toBe(200);
  const wrong = await request(app)
    .post('/v1/auth/login')
    .send({ email: user.email, password: 'not the password' });
  expect(wrong.status).toBe(401);

  const text = await submitText(app, user, { messages: goodChat(n), templateId, topic: tag });
  const voice = await request(app)
    .post('/v1/practice/voice-session')
    .set(user.auth)
    .set('Idempotency-Key', randomUUID())
    .send({
      transcript: `So I climb on Tuesdays, ${tag}, and you? Any good routes?`,
      durationSec: 9,
    });
  const ab = await request(app)
    .post('/v1/practice/ab-session')
    .set(user.auth)
    .set('Idempotency-Key', randomUUID())
    .send({
      prompt: 'She says she just moved here',
      optionA: `Welcome! What brought you here, ${tag}?`,
      optionB: 'Cool.',
    });
  const audio = await request(app)
    .post('/v1/practice/voice-session')
    .set(user.auth)
    .set('Idempotency-Key', randomUUID())
    .attach('audio', CLIP, 'clip.wav');
  for (const res of [text, voice, ab, audio]) {
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  }
  const ids = {
    text: text.body.sessionId as string,
    voice: voice.body.sessionId as string,
    ab: ab.body.sessionId as string,
    audio: audio.body.sessionId as string,
  };
  for (const id of [ids.text, ids.voice, ids.ab]) {
    expect(await scoreSession({ sessionId: id }, deps)).toBe('applied');
  }
  const reads = await request(app).get('/v1/practice/sessions').set(user.auth);
  expect(reads.status).toBe(200);

  const powerUp =
    (await prisma.powerUpType.findFirst()) ??
    (await prisma.powerUpType.create({
      data: { code: `test-${tag}`, name: 'Hint', description: 'd', gemCost: 1 },
    }));
  await prisma.powerUpUsage.create({
    data: { userId: user.id, sessionId: ids.text, powerUpTypeId: powerUp.id },
  });
  await prisma.passwordResetToken.create({
    data: {
      userId: user.id,
      tokenHash: createHash('sha256').update(randomUUID()).digest('hex'),
      expiresAt: new Date(Date.now() + 30 * 60_000),
    },
  });
  return { user, sessions: ids, rotatedFrom: login.body.refreshToken as string };
}
