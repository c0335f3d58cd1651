import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { failSession } from '../../shared/sessions/lifecycle.js';
import { createUser } from '../helpers/factories.js';
import { historyStack } from '../helpers/history.js';
import { goodChat } from '../helpers/practice.js';

/**
 * History (API.md, GET /v1/practice/sessions): the list's filters and their cursors. No worker
 * consumes the app's queue: sessions stay QUEUED until a test completes them or fails them
 * (helpers/history.ts), so every state is the one the test made.
 */
const h = historyStack();
afterAll(() => h.close());
const { app, prisma, submit, complete, list } = h;

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
