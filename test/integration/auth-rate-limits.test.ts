import { once } from 'node:events';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser, uniqueEmail } from '../helpers/factories.js';

describe('signup and refresh rate limits per IP', () => {
  it('answer 429 RATE_LIMITED past the configured limit, creating nothing more', async () => {
    const tight = createTestApp({ RATE_LIMIT_SIGNUP_PER_IP: '3', RATE_LIMIT_REFRESH_PER_IP: '2' });
    try {
      // Limits fail open while Redis is unreachable; wait for the connection so they count.
      if (tight.deps.redis.status !== 'ready') await once(tight.deps.redis, 'ready');
      const users = [];
      for (let i = 0; i < 3; i++) users.push(await createUser(tight.app));
      const email = uniqueEmail('limited');
      const res = await request(tight.app)
        .post('/v1/auth/signup')
        .send({ email, password: 'long-enough-1' });
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('RATE_LIMITED');
      expect(await tight.deps.prisma.user.count({ where: { email } })).toBe(0);
      const refreshes = [];
      for (const user of users) {
        refreshes.push(
          (
            await request(tight.app)
              .post('/v1/auth/refresh')
              .send({ refreshToken: user.refreshToken })
          ).status,
        );
      }
      expect(refreshes).toEqual([200, 200, 429]);
    } finally {
      await tight.close();
    }
  });
});
