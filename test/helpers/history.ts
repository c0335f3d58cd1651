import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expect } from 'vitest';
import { scoreSession } from '../../worker/processors/score-session.js';
import { createTestApp } from './app.js';
import type { TestUser } from './factories.js';
import { processorDeps } from './worker.js';

/**
 * The stack of the history tests (API.md, GET /v1/practice/sessions/:id and
 * GET /v1/practice/sessions): the real app, and the worker's scoring processor run by hand. No
 * worker consumes the app's queue: sessions stay QUEUED until a test completes them, so every
 * state is the one the test made. `close` releases both.
 */
export function historyStack() {
  const t = createTestApp();
  const processor = processorDeps(t.deps.config);
  const { app } = t;

  const post = (path: string, user: TestUser, body: object, key: string = randomUUID()) =>
    request(app).post(`/v1/practice/${path}`).set(user.auth).set('Idempotency-Key', key).send(body);

  return {
    app,
    prisma: t.deps.prisma,
    post,
    /** Submits and answers the new session's id (202). */
    submit: async (path: string, user: TestUser, body: object): Promise<string> => {
      const res = await post(path, user, body);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body.sessionId as string;
    },
    /** Runs the worker's scoring processor on a QUEUED session. */
    complete: async (sessionId: string): Promise<void> => {
      expect(await scoreSession({ sessionId }, processor.deps)).toBe('applied');
    },
    view: (user: TestUser, id: string) =>
      request(app).get(`/v1/practice/sessions/${id}`).set(user.auth),
    list: (user: TestUser, query: Record<string, string | number | undefined> = {}) =>
      request(app).get('/v1/practice/sessions').query(query).set(user.auth),
    close: async (): Promise<void> => {
      await processor.close();
      await t.close();
    },
  };
}
