import bcrypt from 'bcryptjs';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';

const t = createTestApp();
const { app, deps } = t;
afterAll(() => t.close());

const login = (email: string, password: string) =>
  request(app).post('/v1/auth/login').send({ email, password });

/** Pairs of passwords that agree on their first 72 bytes (all bcrypt reads) and differ after. */
const pastByte72: [string, string][] = [
  ['A'.repeat(72) + 'x', 'A'.repeat(72) + 'y'],
  // 36 two-byte characters are 72 bytes.
  ['é'.repeat(36) + 'tail-one', 'é'.repeat(36) + 'tail-two'],
  ['p'.repeat(100) + '1', 'p'.repeat(100) + '2'],
];

describe('passwords count whole', () => {
  it('refuses a password that differs from the real one only past byte 72', async () => {
    for (const [real, other] of pastByte72) {
      const user = await createUser(app, { password: real });
      const wrong = await login(user.email, other);
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('AUTH_INVALID');
      // Only the first 72 bytes: a prefix is not the password either.
      const first72 = Buffer.from(real).subarray(0, 72).toString('utf8');
      expect((await login(user.email, first72)).status).toBe(401);
      expect((await login(user.email, real)).status).toBe(200);
    }
  });

  it('accepts a long password up to 128 characters', async () => {
    const password = 'Ω'.repeat(128);
    const user = await createUser(app, { password });
    expect((await login(user.email, password)).status).toBe(200);
  });

  it('still accepts a hash stored before, and replaces it by a whole-password one at login', async () => {
    const [real, other] = pastByte72[0] ?? ['', ''];
    const user = await createUser(app);
    // A plain bcrypt hash as the earlier code stored it.
    const legacy = bcrypt.hashSync(real, 4);
    await deps.prisma.user.update({ where: { id: user.id }, data: { passwordHash: legacy } });

    expect((await login(user.email, real)).status).toBe(200);
    const stored = await deps.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).not.toBe(legacy);
    expect(stored.passwordHash.startsWith('$bcrypt-sha256$$2')).toBe(true);
    // Upgraded: the real password still works, the one that collided under plain bcrypt not.
    expect((await login(user.email, real)).status).toBe(200);
    expect((await login(user.email, other)).status).toBe(401);
  });

  it('keeps a wrong password wrong against a hash stored before, changing nothing', async () => {
    const user = await createUser(app);
    const legacy = bcrypt.hashSync('the-old-password', 4);
    await deps.prisma.user.update({ where: { id: user.id }, data: { passwordHash: legacy } });
    expect((await login(user.email, 'not-the-old-password')).status).toBe(401);
    const stored = await deps.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toBe(legacy);
  });
});
