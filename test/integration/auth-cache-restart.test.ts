import { afterAll, describe, expect, it } from 'vitest';
import { pollPrincipalChanges } from '../../api/middleware/principal-changes.js';
import { createPrincipalCache } from '../../api/middleware/principals.js';
import { createLogger } from '../../shared/logger.js';
import { createTestApp } from '../helpers/app.js';
import { workerDatabaseUrl } from '../helpers/config.js';
import { createUser } from '../helpers/factories.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

/**
 * The principal cache with its poll connection going through a proxy the test can cut: what was
 * cached while no poll succeeded must not be trusted once polls succeed again, since the first
 * successful poll only takes a starting point and cannot report what changed before it.
 */
const t = createTestApp();
afterAll(() => t.close());

describe('principal cache without polls, then with them', () => {
  it('starts over on the first successful poll: an entry cached before it is read again', async () => {
    const db = new URL(workerDatabaseUrl());
    const proxy = await startTcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    proxy.down();
    const viaProxy = new URL(db);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const changes = pollPrincipalChanges(viaProxy.toString(), createLogger(t.deps.config, 'test'));
    const cache = createPrincipalCache(t.deps.prisma, { ttlMs: 60_000, changes });
    try {
      const user = await createUser(t.app);
      const before = await cache.get(user.id);
      expect(before?.sessionVersion).toBeDefined();
      // Recorded by the trigger while this process cannot poll.
      await t.deps.prisma.user.update({
        where: { id: user.id },
        data: { sessionVersion: { increment: 1 } },
      });
      proxy.up();
      await expect.poll(() => cache.polling, { timeout: 5000 }).toBe(true);
      // Polls are fresh again, but the entry predates the first of them: read again.
      expect((await cache.get(user.id))?.sessionVersion).toBe((before?.sessionVersion ?? 0) + 1);
    } finally {
      await changes.close();
      await proxy.close();
    }
  });
});
