import { createHmac } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';

const t = createTestApp();
const { app, deps } = t;
afterAll(() => t.close());

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/**
 * A JWT built by hand (header, claims and HMAC chosen freely), so each test can forge exactly the
 * flaw it is about; the server's own library plays no part in making it.
 */
function jwt(
  claims: Record<string, unknown>,
  opts: { header?: Record<string, unknown>; secret?: string; hmac?: string } = {},
): string {
  const input = `${b64(opts.header ?? { alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  const signature = createHmac(opts.hmac ?? 'sha256', opts.secret ?? deps.config.JWT_SECRET)
    .update(input)
    .digest('base64url');
  return `${input}.${signature}`;
}

/** Claims of a valid access token for the user, with overrides (undefined removes a claim). */
function claims(userId: string, overrides: Record<string, unknown> = {}) {
  return {
    sub: userId,
    sv: 0,
    role: 'USER',
    iss: deps.config.JWT_ISSUER,
    aud: deps.config.JWT_AUDIENCE,
    iat: now(),
    nbf: now(),
    exp: now() + 300,
    ...overrides,
  };
}

async function profileWith(token: string) {
  return request(app).get('/v1/profile').set('Authorization', `Bearer ${token}`);
}

async function expectRejected(token: string) {
  const res = await profileWith(token);
  expect(res.status).toBe(401);
  expect(res.body.code).toBe('AUTH_INVALID');
}

describe('authenticated requests', () => {
  it('reject a missing or malformed Authorization header', async () => {
    for (const header of [undefined, 'Bearer', 'Basic abc', 'Bearer not.a.jwt']) {
      const req = request(app).get('/v1/profile');
      if (header) void req.set('Authorization', header);
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH_INVALID');
    }
  });

  it('accept a well-formed token of ours (the forged-token tests are not vacuous)', async () => {
    const user = await createUser(app);
    expect((await profileWith(jwt(claims(user.id)))).status).toBe(200);
  });

  it('reject a token signed with another secret', async () => {
    const user = await createUser(app);
    await expectRejected(
      jwt(claims(user.id, { role: 'ADMIN' }), {
        secret: 'another-secret-of-sufficient-length-123',
      }),
    );
  });

  it('reject alg: none, with or without a signature', async () => {
    const user = await createUser(app);
    for (const alg of ['none', 'None', 'NONE']) {
      const signed = jwt(claims(user.id), { header: { alg, typ: 'JWT' } });
      await expectRejected(signed);
      await expectRejected(`${signed.slice(0, signed.lastIndexOf('.'))}.`);
    }
  });

  it('reject any algorithm but HS256, even with our secret (algorithm pinned)', async () => {
    const user = await createUser(app);
    await expectRejected(jwt(claims(user.id), { header: { alg: 'HS512' }, hmac: 'sha512' }));
    await expectRejected(jwt(claims(user.id), { header: { alg: 'HS384' }, hmac: 'sha384' }));
    await expectRejected(jwt(claims(user.id), { header: { alg: 'RS256' } }));
  });

  it('reject an expired token, but forgive a few seconds of clock skew', async () => {
    const user = await createUser(app);
    await expectRejected(jwt(claims(user.id, { iat: now() - 960, exp: now() - 60 })));
    expect((await profileWith(jwt(claims(user.id, { exp: now() - 1 })))).status).toBe(200);
  });

  it('reject a token that is not valid yet (nbf in the future)', async () => {
    const user = await createUser(app);
    await expectRejected(jwt(claims(user.id, { nbf: now() + 120 })));
    expect((await profileWith(jwt(claims(user.id, { nbf: now() + 1 })))).status).toBe(200);
  });

  it('reject a token for another audience or issuer, or without them', async () => {
    const user = await createUser(app);
    for (const wrong of [
      { aud: 'other-app' },
      { iss: 'someone-else' },
      { aud: undefined },
      { iss: undefined },
    ]) {
      await expectRejected(jwt(claims(user.id, wrong)));
    }
  });

  it('reject a token without exp, or with claims of the wrong type', async () => {
    const user = await createUser(app);
    for (const wrong of [
      { exp: undefined },
      { sv: '0' },
      { role: 'ROOT' },
      { sub: 42 },
      { nbf: 'soon' },
    ]) {
      await expectRejected(jwt(claims(user.id, wrong)));
    }
  });

  it('issue HS256 tokens with iss, aud, iat, nbf and a 15-minute exp', async () => {
    const user = await createUser(app);
    const [header, payload] = user.accessToken
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      sub: user.id,
      sv: 0,
      role: 'USER',
      iss: deps.config.JWT_ISSUER,
      aud: deps.config.JWT_AUDIENCE,
    });
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.exp - payload.iat).toBe(900);
  });
});
