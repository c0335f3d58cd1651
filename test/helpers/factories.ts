import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'vitest';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomBytes(6).toString('hex')}@example.com`;
}

/** Signs a new user up through the API (the real bootstrap path) and returns its tokens. */
export async function createUser(
  app: Express,
  overrides: { email?: string; password?: string; timezone?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? 'correct horse battery';
  const res = await request(app)
    .post('/v1/auth/signup')
    .send({ email, password, ...(overrides.timezone ? { timezone: overrides.timezone } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const body = res.body as { user: { id: string }; accessToken: string; refreshToken: string };
  return {
    id: body.user.id,
    email: email.trim().toLowerCase(),
    password,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    auth: { Authorization: `Bearer ${body.accessToken}` },
  };
}
