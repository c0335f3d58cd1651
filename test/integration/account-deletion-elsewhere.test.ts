import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { GOOD_CHAT } from '../helpers/practice.js';

/**
 * Two API processes over one database: the account is deleted through one while the other may
 * still hold the user's principal in its cache (its next poll of the principal changes has not
 * run yet) or may already have dropped it. Either way nothing is stored and nothing answers 500.
 */
const one = createTestApp();
const two = createTestApp();
afterAll(async () => {
  await one.close();
  await two.close();
});

describe('requests of a just-deleted account on another API process', () => {
  it('answer 401 AUTH_INVALID (as for any token of an unknown user) or 404 USER_NOT_FOUND (never 500) and store nothing', async () => {
    const user = await createUser(one.app);
    expect((await request(two.app).get('/v1/profile').set(user.auth)).status).toBe(200);
    const deleted = await request(one.app)
      .delete('/v1/account')
      .set(user.auth)
      .send({ password: user.password });
    expect(deleted.status).toBe(204);

    const submit = await request(two.app)
      .post('/v1/practice/session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .send({ messages: GOOD_CHAT });
    const prefs = await request(two.app)
      .patch('/v1/profile/preferences')
      .set(user.auth)
      .send({ timezone: 'Europe/Berlin' });
    expect(submit.status, JSON.stringify(submit.body)).toBe(401);
    expect(submit.body.code).toBe('AUTH_INVALID');
    // With the principal still cached the profile reads the user first and answers as
    // GET /v1/profile does (404); once the poll has dropped it, authentication answers 401.
    const expected = prefs.status === 401 ? 'AUTH_INVALID' : 'USER_NOT_FOUND';
    expect([401, 404], JSON.stringify(prefs.body)).toContain(prefs.status);
    expect(prefs.body.code).toBe(expected);
    const prisma = one.deps.prisma;
    expect(await prisma.practiceSession.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.idempotencyKey.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.user.count({ where: { id: user.id } })).toBe(0);
  });
});
