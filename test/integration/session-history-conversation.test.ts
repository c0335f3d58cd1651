import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { historyStack } from '../helpers/history.js';
import { goodChat } from '../helpers/practice.js';

/**
 * History (API.md, GET /v1/practice/sessions/:id): what was submitted, as the single-session view
 * shows it. No worker consumes the app's queue: sessions stay QUEUED until a test completes them
 * (helpers/history.ts). The other history tests: session-history-wallet-after.test.ts and
 * session-history-filters.test.ts.
 */
const h = historyStack();
/** An app accepting audio uploads (a transcriber is configured; nothing ever calls it). */
const listening = createTestApp({ TRANSCRIPTION_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-unused' });
afterAll(async () => {
  await listening.close();
  await h.close();
});
const { app, post, submit, complete, view, list } = h;

describe('GET /v1/practice/sessions/:id: conversation', () => {
  it('requires authentication', async () => {
    expect((await request(app).get(`/v1/practice/sessions/${randomUUID()}`)).status).toBe(401);
  });

  it("shows a session's conversation to its owner only (another user gets 404)", async () => {
    const [owner, other] = await Promise.all([createUser(app), createUser(app)]);
    const id = await submit('session', owner, { messages: goodChat(1) });
    const theirs = await view(other, id);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect(theirs.body).not.toHaveProperty('conversation');
    expect((await view(owner, id)).body.conversation[0]).toHaveProperty('role');
  });

  it('shows every submitted text message with its index, role and content, queued and completed, and in the replay', async () => {
    const user = await createUser(app);
    const body = {
      messages: [
        { role: 'system', content: 'You are meeting Sam at a gallery opening' },
        { role: 'assistant', content: 'This one is my favourite. What do you see in it?' },
        { role: 'USER', content: '  A storm over the harbour, and someone very calm in a boat  ' },
        { role: 'ai', content: 'Ha, I never saw the boat' },
        { role: 'user', content: "Stick with me, I'll show you the lighthouse too. Coffee after?" },
      ],
    };
    const key = randomUUID();
    const accepted = await post('session', user, body, key);
    expect(accepted.status).toBe(202);
    const id = accepted.body.sessionId as string;
    const conversation = [
      { index: 0, role: 'SYSTEM', content: 'You are meeting Sam at a gallery opening' },
      { index: 1, role: 'AI', content: 'This one is my favourite. What do you see in it?' },
      {
        index: 2,
        role: 'USER',
        content: 'A storm over the harbour, and someone very calm in a boat',
      },
      { index: 3, role: 'AI', content: 'Ha, I never saw the boat' },
      {
        index: 4,
        role: 'USER',
        content: "Stick with me, I'll show you the lighthouse too. Coffee after?",
      },
    ];
    const queued = await view(user, id);
    expect(queued.body).toMatchObject({ status: 'QUEUED', result: null, conversation });

    await complete(id);
    const done = await view(user, id);
    expect(done.body).toMatchObject({ status: 'COMPLETED', conversation });
    // The result's per-message indexes point into the same array.
    const scored = (done.body.result.ai.perMessage as { index: number }[]).map((m) => m.index);
    expect(scored).toEqual([2, 4]);

    // The idempotent replay of a finished session answers the very same body.
    const replay = await post('session', user, body, key);
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(done.body);
  });

  it('shows a voice session’s transcript', async () => {
    const user = await createUser(app);
    const transcript =
      "Hi, I'm Robin. I repair old pianos, so most evenings I hunt for one sticky key. What keeps you busy?";
    const timed = await submit('voice-session', user, { transcript, durationSec: 12 });
    const untimed = await submit('voice-session', user, { transcript: 'Hello there, nice hat' });
    expect((await view(user, timed)).body.conversation).toBe(transcript);
    await complete(untimed);
    const done = await view(user, untimed);
    expect(done.body.status).toBe('COMPLETED');
    expect(done.body.conversation).toBe('Hello there, nice hat');
  });

  it('shows an uploaded clip’s transcript as null until the worker transcribes it', async () => {
    const user = await createUser(listening.app);
    const res = await request(listening.app)
      .post('/v1/practice/voice-session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .attach(
        'audio',
        readFileSync(new URL('../fixtures/audio/spoken.wav', import.meta.url)),
        'a.wav',
      );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const queued = await request(listening.app)
      .get(`/v1/practice/sessions/${res.body.sessionId as string}`)
      .set(user.auth);
    expect(queued.body).toMatchObject({ status: 'QUEUED', mode: 'voice', conversation: null });
  });

  it('shows an A/B session’s prompt and both options', async () => {
    const user = await createUser(app);
    const optionA = 'That jacket is a bold choice, I respect it. Where did you find it?';
    const optionB = 'hey';
    const withPrompt = await submit('ab-session', user, {
      prompt: 'She says: I just got back from Lisbon',
      optionA,
      optionB,
    });
    const without = await submit('ab-session', user, { optionA, optionB });
    await complete(withPrompt);
    expect((await view(user, withPrompt)).body.conversation).toEqual({
      prompt: 'She says: I just got back from Lisbon',
      optionA,
      optionB,
    });
    expect((await view(user, without)).body.conversation).toEqual({
      prompt: null,
      optionA,
      optionB,
    });
  });

  it('leaves the conversation out of list items', async () => {
    const user = await createUser(app);
    const id = await submit('session', user, { messages: goodChat(2) });
    await complete(id);
    const res = await list(user);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).not.toHaveProperty('conversation');
    expect(res.body.items[0].result).not.toHaveProperty('ai');
  });
});
