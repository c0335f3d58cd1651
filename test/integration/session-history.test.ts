import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../shared/db.js';
import { failSession } from '../../shared/sessions/lifecycle.js';
import { scoreSession } from '../../worker/processors/score-session.js';
import { createTestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { goodChat } from '../helpers/practice.js';
import { processorDeps } from '../helpers/worker.js';

/**
 * History (API.md, GET /v1/practice/sessions/:id and GET /v1/practice/sessions): what was
 * submitted, the wallet each session left, and the list's filters. No worker consumes this app's
 * queue: sessions stay QUEUED until a test runs the scoring processor on them, so every state is
 * the one the test made.
 */
const t = createTestApp();
const processor = processorDeps(t.deps.config);
/** The same, accepting audio uploads (a transcriber is configured; nothing ever calls it). */
const listening = createTestApp({ TRANSCRIPTION_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-unused' });
afterAll(async () => {
  await processor.close();
  await listening.close();
  await t.close();
});
const { app } = t;
const { prisma } = t.deps;

const post = (path: string, user: TestUser, body: object, key: string = randomUUID()) =>
  request(app).post(`/v1/practice/${path}`).set(user.auth).set('Idempotency-Key', key).send(body);

async function submit(path: string, user: TestUser, body: object): Promise<string> {
  const res = await post(path, user, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.sessionId as string;
}

/** Runs the worker's scoring processor on a QUEUED session. */
async function complete(sessionId: string) {
  expect(await scoreSession({ sessionId }, processor.deps)).toBe('applied');
}

const view = (user: TestUser, id: string) =>
  request(app).get(`/v1/practice/sessions/${id}`).set(user.auth);

const list = (user: TestUser, query: Record<string, string | number | undefined> = {}) =>
  request(app).get('/v1/practice/sessions').query(query).set(user.auth);

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

describe('result.walletAfter', () => {
  it('is absent while the session is queued and, once COMPLETED, equals /v1/wallet/me right after', async () => {
    const user = await createUser(app);
    const id = await submit('session', user, { messages: goodChat(3) });
    expect((await view(user, id)).body).toMatchObject({ status: 'QUEUED', result: null });

    await complete(id);
    const [done, wallet] = await Promise.all([
      view(user, id),
      request(app).get('/v1/wallet/me').set(user.auth),
    ]);
    const { xp, level, coins, gems, lifetimeXp } = wallet.body.wallet as Record<string, number>;
    expect(lifetimeXp).toBeGreaterThan(0);
    expect(done.body.result.walletAfter).toEqual({ xp, level, coins, gems, lifetimeXp });
    // The list shows it too (it is part of the result, not of the per-message detail).
    expect((await list(user)).body.items[0].result.walletAfter).toEqual(
      done.body.result.walletAfter,
    );
  });

  it('keeps each session’s own wallet as later sessions change the wallet', async () => {
    const user = await createUser(app);
    const first = await submit('session', user, { messages: goodChat(4) });
    await complete(first);
    const before = (await view(user, first)).body.result.walletAfter as Record<string, number>;
    const second = await submit('session', user, { messages: goodChat(5) });
    await complete(second);
    const after = (await view(user, second)).body.result;
    expect((await view(user, first)).body.result.walletAfter).toEqual(before);
    expect(after.walletAfter).toEqual({
      xp: (before.xp ?? 0) + (after.rewards.xpGained as number),
      level: after.rewards.levelAfter as number,
      coins: (before.coins ?? 0) + (after.rewards.coinsGained as number),
      gems: (before.gems ?? 0) + (after.rewards.gemsGained as number),
      lifetimeXp: (before.lifetimeXp ?? 0) + (after.rewards.xpGained as number),
    });
  });

  it('is null for a session completed before the apply stored it', async () => {
    const user = await createUser(app);
    const id = await submit('session', user, { messages: goodChat(6) });
    await complete(id);
    // As a session applied before this column had a writer.
    await prisma.practiceSession.update({ where: { id }, data: { walletAfter: Prisma.DbNull } });
    const res = await view(user, id);
    expect(res.body.status).toBe('COMPLETED');
    expect(res.body.result.walletAfter).toBeNull();
  });
});

describe('GET /v1/practice/sessions: filters', () => {
  /** A user with sessions of every mode and state; the ids of each kind, newest first. */
  async function history() {
    const user = await createUser(app);
    const mission = await prisma.practiceMissionTemplate.create({
      data: {
        code: `history-${randomUUID()}`,
        title: 'History',
        description: 'd',
        category: 'OPENERS',
      },
    });
    const made: { id: string; mode: string; status: string; templateId: string | null }[] = [];
    const add = async (
      path: string,
      mode: string,
      body: object,
      end: 'QUEUED' | 'COMPLETED' | 'FAILED',
      templateId: string | null = null,
    ) => {
      const id = await submit(path, user, { ...body, ...(templateId ? { templateId } : {}) });
      if (end === 'COMPLETED') await complete(id);
      if (end === 'FAILED') await failSession(prisma, id, { code: 'SCORING_FAILED', message: 'x' });
      made.unshift({ id, mode, status: end, templateId });
    };
    const text = (n: number) => ({ messages: goodChat(10 + n) });
    const voice = (n: number) => ({ transcript: `Hello, I am practising line ${String(n)}` });
    const ab = (n: number) => ({ optionA: `Option ${String(n)} A`, optionB: 'Option B' });
    await add('session', 'text', text(0), 'COMPLETED', mission.id);
    await add('voice-session', 'voice', voice(1), 'COMPLETED');
    await add('session', 'text', text(2), 'FAILED');
    await add('ab-session', 'ab', ab(3), 'COMPLETED', mission.id);
    await add('voice-session', 'voice', voice(4), 'QUEUED', mission.id);
    await add('session', 'text', text(5), 'COMPLETED');
    await add('voice-session', 'voice', voice(6), 'COMPLETED', mission.id);
    await add('session', 'text', text(7), 'QUEUED');
    return { user, mission, made };
  }

  /** Every page of a listing, following nextCursor with `next(cursor)`. */
  async function allPages(
    first: request.Test,
    next: (cursor: string) => request.Test,
  ): Promise<{ sessionId: string; mode: string; status: string; templateId: string | null }[]> {
    const items: { sessionId: string; mode: string; status: string; templateId: string | null }[] =
      [];
    let res = await first;
    for (;;) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      items.push(...(res.body.items as []));
      const cursor = res.body.nextCursor as string | null;
      if (!cursor) return items;
      res = await next(cursor);
    }
  }

  it('requires authentication', async () => {
    expect((await request(app).get('/v1/practice/sessions?mode=text')).status).toBe(401);
  });

  it('rejects unknown modes, statuses and malformed template ids with 400 VALIDATION_FAILED', async () => {
    const user = await createUser(app);
    for (const [query, path] of [
      [{ mode: 'video' }, 'query.mode'],
      [{ mode: '' }, 'query.mode'],
      [{ status: 'DONE' }, 'query.status'],
      [{ templateId: 'no such/id' }, 'query.templateId'],
      [{ templateId: 'x'.repeat(65) }, 'query.templateId'],
      [{ kind: 'text' }, 'query'],
    ] as const) {
      const res = await list(user, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors[0].path).toBe(path);
    }
    const both = await list(user, { mode: 'video', status: 'DONE' });
    expect((both.body.errors as { path: string }[]).map((e) => e.path)).toEqual([
      'query.mode',
      'query.status',
    ]);
  });

  it('filters by mode, status and templateId, each alone and combined, newest first', async () => {
    const { user, mission, made } = await history();
    const ids = (pick: (m: (typeof made)[number]) => boolean) => made.filter(pick).map((m) => m.id);
    const listed = async (query: Record<string, string>) => {
      const res = await list(user, { limit: 100, ...query });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.items as { sessionId: string }[]).map((i) => i.sessionId);
    };
    expect(await listed({})).toEqual(ids(() => true));
    expect(await listed({ mode: 'voice' })).toEqual(ids((m) => m.mode === 'voice'));
    expect(await listed({ mode: 'ab' })).toEqual(ids((m) => m.mode === 'ab'));
    expect(await listed({ status: 'QUEUED' })).toEqual(ids((m) => m.status === 'QUEUED'));
    expect(await listed({ status: 'FAILED' })).toEqual(ids((m) => m.status === 'FAILED'));
    expect(await listed({ templateId: mission.id })).toEqual(
      ids((m) => m.templateId === mission.id),
    );
    expect(await listed({ mode: 'voice', status: 'COMPLETED', templateId: mission.id })).toEqual(
      ids((m) => m.mode === 'voice' && m.status === 'COMPLETED' && m.templateId === mission.id),
    );
    expect(await listed({ mode: 'text', status: 'COMPLETED' })).toEqual(
      ids((m) => m.mode === 'text' && m.status === 'COMPLETED'),
    );
    // Values as the views show them, in any case.
    expect(await listed({ mode: 'VOICE', status: 'completed' })).toEqual(
      ids((m) => m.mode === 'voice' && m.status === 'COMPLETED'),
    );
    // A template nobody played (or that does not exist) lists nothing.
    expect(await listed({ templateId: randomUUID() })).toEqual([]);
    // Every item matches its filters as the view shows it.
    const res = await list(user, { mode: 'text', status: 'FAILED' });
    expect(res.body.items).toEqual([
      expect.objectContaining({ mode: 'text', status: 'FAILED', result: null }),
    ]);
  });

  it('continues the filters of the page a cursor came from', async () => {
    const { user, mission, made } = await history();
    // Two ways to follow a cursor: alone, or with the same filters again.
    const filters = { mode: 'voice', templateId: mission.id };
    const alone = await allPages(list(user, { ...filters, limit: 1 }), (cursor) =>
      list(user, { cursor, limit: 1 }),
    );
    const resent = await allPages(list(user, { ...filters, limit: 1 }), (cursor) =>
      list(user, { ...filters, cursor, limit: 1 }),
    );
    const voice = made.filter((m) => m.mode === 'voice' && m.templateId === mission.id);
    expect(voice.length).toBeGreaterThanOrEqual(2);
    expect(alone.map((i) => i.sessionId)).toEqual(voice.map((m) => m.id));
    expect(resent.map((i) => i.sessionId)).toEqual(voice.map((m) => m.id));

    // The filtered page's cursor belongs to that list: other filters answer 400 INVALID_CURSOR.
    const page = await list(user, { status: 'COMPLETED', limit: 1 });
    const cursor = page.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    for (const other of [
      { status: 'QUEUED' },
      { mode: 'text' },
      { status: 'COMPLETED', mode: 'ab' },
    ]) {
      const res = await list(user, { ...other, cursor });
      expect(res.status, JSON.stringify(other)).toBe(400);
      expect(res.body.code).toBe('INVALID_CURSOR');
    }
    // An unfiltered page's cursor continues the whole list.
    const everything = await allPages(list(user, { limit: 3 }), (c) =>
      list(user, { cursor: c, limit: 3 }),
    );
    expect(everything.map((i) => i.sessionId)).toEqual(made.map((m) => m.id));
  });

  it('refuses a cursor whose filters were tampered with', async () => {
    const { user } = await history();
    const page = await list(user, { mode: 'text', limit: 1 });
    const decoded = Buffer.from(page.body.nextCursor as string, 'base64url').toString('utf8');
    expect(decoded).toMatch(/\|mode=text$/);
    for (const scope of ['mode=video', 'kind=text', 'templateId=no%20such']) {
      const forged = Buffer.from(decoded.replace('mode=text', scope)).toString('base64url');
      const res = await list(user, { cursor: forged });
      expect(res.status, scope).toBe(400);
      expect(res.body.code).toBe('INVALID_CURSOR');
    }
  });

  it("never lists another user's sessions, whatever the filters or cursor", async () => {
    const mine = await history();
    const theirs = await history();
    for (const query of [
      {},
      { mode: 'voice' },
      { status: 'COMPLETED' },
      { templateId: mine.mission.id },
      { templateId: theirs.mission.id },
      { mode: 'voice', status: 'COMPLETED', templateId: mine.mission.id },
    ]) {
      const items = await allPages(list(mine.user, { ...query, limit: 2 }), (cursor) =>
        list(mine.user, { cursor, limit: 2 }),
      );
      const own = new Set(mine.made.map((m) => m.id));
      expect(
        items.every((i) => own.has(i.sessionId)),
        JSON.stringify(query),
      ).toBe(true);
    }
    // Another user's cursor position does not reveal their sessions either.
    const page = await list(theirs.user, { limit: 1 });
    const items = await allPages(
      list(mine.user, { cursor: page.body.nextCursor as string }),
      (cursor) => list(mine.user, { cursor }),
    );
    expect(items.every((i) => mine.made.some((m) => m.id === i.sessionId))).toBe(true);
  });
});
