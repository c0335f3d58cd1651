import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../shared/db.js';
import { createUser } from '../helpers/factories.js';
import { historyStack } from '../helpers/history.js';
import { goodChat } from '../helpers/practice.js';

/**
 * History (API.md, GET /v1/practice/sessions/:id): `result.walletAfter`, the wallet each session
 * left. No worker consumes the app's queue: sessions stay QUEUED until a test completes them
 * (helpers/history.ts).
 */
const h = historyStack();
afterAll(() => h.close());
const { app, prisma, submit, complete, view, list } = h;

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
