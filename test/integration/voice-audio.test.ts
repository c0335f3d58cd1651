import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { purgeFailedVoiceClips } from '../../shared/sessions/voice-clip.js';
import { createTestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { SPOKEN_TEXT } from '../helpers/fake-openai.js';
import { openAiStack } from '../helpers/openai-stack.js';
import { expectConsistentRewards, waitForTerminal } from '../helpers/practice.js';

const s = openAiStack();

/** Spoken clips made with espeak-ng (test/fixtures/audio/make-clips.sh) and their lengths. */
const clip = (name: string) => readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url));
const CLIPS = [
  { file: 'spoken.wav', ext: 'wav', mime: 'audio/wav', seconds: 4.133 },
  { file: 'spoken.mp3', ext: 'mp3', mime: 'audio/mpeg', seconds: 4.212 },
  { file: 'spoken.ogg', ext: 'ogg', mime: 'audio/ogg', seconds: 4.133 },
];

function upload(user: TestUser, bytes: Buffer, name: string, key: string = randomUUID()) {
  return request(s.app)
    .post('/v1/practice/voice-session')
    .set(user.auth)
    .set('Idempotency-Key', key)
    .field('topic', 'meeting someone at a climbing gym')
    .attach('audio', bytes, name);
}

async function nothingStored(user: TestUser) {
  expect(await s.deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
  expect(await s.deps.prisma.voiceClip.count({ where: { session: { userId: user.id } } })).toBe(0);
}

describe('POST /v1/practice/voice-session with audio', () => {
  it.each(CLIPS)(
    'transcribes and scores a spoken $ext clip, with its measured duration and pace',
    async ({ file, ext, mime, seconds }) => {
      const user = await createUser(s.app);
      const res = await upload(user, clip(file), `whatever-name.bin`);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body).toMatchObject({ mode: 'voice', status: 'QUEUED' });
      const sessionId = res.body.sessionId as string;

      const done = await waitForTerminal(s.app, user, sessionId);
      expect(done.body.status).toBe('COMPLETED');
      const { result } = done.body;
      expect(result.transcript).toBe(SPOKEN_TEXT);
      expect(result.aiCore.provider).toBe('openai');
      const words = SPOKEN_TEXT.split(/\s+/).length;
      expect(result.aiCore.metrics.totalWords).toBe(words);
      expect(result.aiCore.metrics.wordsPerMinute).toBe(Math.round(words / (seconds / 60)));

      const row = await s.deps.prisma.practiceSession.findUniqueOrThrow({
        where: { id: sessionId },
      });
      expect(row.input).toMatchObject({
        mode: 'voice',
        transcript: SPOKEN_TEXT,
        audio: { mimeType: mime, ext },
        transcription: { model: 'whisper-1', language: 'english', timedWords: words },
      });
      const stored = row.input as { durationSec: number };
      expect(stored.durationSec).toBeCloseTo(seconds, 1);
      // The view's conversation shows what was heard.
      expect(done.body.conversation).toBe(SPOKEN_TEXT);
      // The audio is kept only until it is transcribed.
      expect(await s.deps.prisma.voiceClip.count({ where: { sessionId } })).toBe(0);

      const [call] = s.fake.of('transcriptions');
      const form = String(call?.body);
      expect(form).toContain(`filename="clip.${ext}"`);
      expect(form).toMatch(/name="model"\r\n\r\nwhisper-1/);
      expect(form).toMatch(/name="response_format"\r\n\r\nverbose_json/);
      await expectConsistentRewards(s.deps.prisma, user.id);
    },
  );

  it('takes a streamed WebM (no duration in the container) with the transcriber’s duration', async () => {
    const user = await createUser(s.app);
    const res = await upload(user, clip('spoken-stream.webm'), 'recording.webm');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const done = await waitForTerminal(s.app, user, res.body.sessionId as string);
    expect(done.body.status).toBe('COMPLETED');
    const words = SPOKEN_TEXT.split(/\s+/).length;
    // The fake transcriber reports 4.1 s.
    expect(done.body.result.aiCore.metrics.wordsPerMinute).toBe(Math.round(words / (4.1 / 60)));
    expect(String(s.fake.of('transcriptions')[0]?.body)).toContain('filename="clip.webm"');
  });

  it('replays the same upload for the same key and refuses another clip under it', async () => {
    const user = await createUser(s.app);
    const key = randomUUID();
    const first = await upload(user, clip('spoken.wav'), 'a.wav', key);
    expect(first.status).toBe(202);
    const again = await upload(user, clip('spoken.wav'), 'a.wav', key);
    expect([200, 202]).toContain(again.status);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.sessionId).toBe(first.body.sessionId);
    const other = await upload(user, clip('spoken.mp3'), 'a.wav', key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await s.deps.prisma.practiceSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it('refuses a text file renamed to .wav, storing nothing', async () => {
    const user = await createUser(s.app);
    const text = Buffer.from('This is not audio, just a note with a wav name.\n'.repeat(50));
    const res = await request(s.app)
      .post('/v1/practice/voice-session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .attach('audio', text, { filename: 'notes.wav', contentType: 'audio/wav' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('AUDIO_FORMAT_UNSUPPORTED');
    await nothingStored(user);
  });

  it.each([
    ['wav', 'spoken.wav'],
    ['ogg', 'spoken.ogg'],
  ])('refuses a truncated %s clip as unreadable, storing nothing', async (_ext, file) => {
    const user = await createUser(s.app);
    const bytes = clip(file);
    const res = await upload(user, bytes.subarray(0, Math.floor(bytes.length / 2)), file);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('AUDIO_UNREADABLE');
    await nothingStored(user);
  });

  it('refuses a clip over 25 MiB with 413, storing nothing', async () => {
    const user = await createUser(s.app);
    const big = Buffer.concat([clip('spoken.wav'), Buffer.alloc(25 * 1024 * 1024)]);
    const res = await upload(user, big, 'long.wav');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    await nothingStored(user);
  });

  it('asks for the audio part when a form has none', async () => {
    const user = await createUser(s.app);
    const res = await request(s.app)
      .post('/v1/practice/voice-session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .field('topic', 'no clip here');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('audio');
    await nothingStored(user);
  });

  it('rejects unknown form fields', async () => {
    const user = await createUser(s.app);
    const res = await upload(user, clip('spoken.wav'), 'a.wav').field('xp', '1000');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    await nothingStored(user);
  });

  it('fails the session with TRANSCRIPTION_FAILED when the speech server keeps failing', async () => {
    const down = { status: 500, body: { error: { message: 'decoder crashed' } } };
    s.fake.queue('transcriptions', down, down, down);
    const user = await createUser(s.app);
    const res = await upload(user, clip('spoken.wav'), 'a.wav');
    const done = await waitForTerminal(s.app, user, res.body.sessionId as string);
    expect(done.body.status).toBe('FAILED');
    expect(done.body.error.code).toBe('TRANSCRIPTION_FAILED');
    expect(s.fake.of('transcriptions')).toHaveLength(3);
    expect(s.fake.of('chat')).toHaveLength(0);
    const wallet = await s.deps.prisma.userWallet.findUniqueOrThrow({ where: { userId: user.id } });
    expect(wallet).toMatchObject({ xp: 0, coins: 0, gems: 0 });
    // The clip stays for an ops retry from Bull Board, then the hourly purge deletes it.
    const sessionId = res.body.sessionId as string;
    expect(await s.deps.prisma.voiceClip.count({ where: { sessionId } })).toBe(1);
    expect(await purgeFailedVoiceClips(s.deps.prisma, 24)).toBe(0);
    const tomorrow = new Date(Date.now() + 25 * 3_600_000);
    expect(await purgeFailedVoiceClips(s.deps.prisma, 24, tomorrow)).toBeGreaterThanOrEqual(1);
    expect(await s.deps.prisma.voiceClip.count({ where: { sessionId } })).toBe(0);
  });
});

describe('audio uploads in flight', () => {
  it('answers 503 OVERLOADED with Retry-After past AUDIO_UPLOADS_IN_FLIGHT, reading nothing', async () => {
    const t = createTestApp({ OPENAI_API_KEY: 'sk-test', AUDIO_UPLOADS_IN_FLIGHT: '1' });
    const server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const user = await createUser(t.app);
      // One upload that is still sending its body holds the only slot.
      const slow = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/practice/voice-session',
        headers: {
          ...user.auth,
          'Idempotency-Key': randomUUID(),
          'Content-Type': 'multipart/form-data; boundary=xyz',
          'Content-Length': '100000',
        },
      });
      slow.on('error', () => undefined);
      slow.write('--xyz\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\n');
      await sleep(200);
      const send = () =>
        request(t.app)
          .post('/v1/practice/voice-session')
          .set(user.auth)
          .set('Idempotency-Key', randomUUID())
          .attach('audio', clip('spoken.wav'), 'a.wav');
      const res = await send();
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('OVERLOADED');
      expect(res.headers['retry-after']).toBe('2');
      slow.destroy();
      // The slot is free again once the slow client is gone.
      await expect.poll(async () => (await send()).status, { timeout: 10_000 }).toBe(202);
    } finally {
      server.closeAllConnections();
      server.close();
      await t.close();
    }
  });
});
