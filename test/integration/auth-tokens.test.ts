import { SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';

const t = createTestApp();
const { app, deps } = t;
afterAll(() => t.close());

const secret = new TextEncoder().encode(deps.config.JWT_SECRET);

function token(claims: Record<string, unknown>, opts: { secret?: Uint8Array; exp?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(deps.config.JWT_ISSUER)
    .setAudience(deps.config.JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m')
    .sign(opts.secret ?? secret);
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

  it('reject a token signed with another secret', async () => {
    const user = await createUser(app);
    const forged = await token(
      { sub: user.id, sv: 0, role: 'ADMIN' },
      { secret: new TextEncoder().encode('another-secret-of-sufficient-length-123') },
    );
    const res = await request(app).get('/v1/profile').set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID');
  });

  it('reject alg: none', async () => {
    const user = await createUser(app);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
      sub: user.id,
      sv: 0,
      role: 'USER',
      iss: deps.config.JWT_ISSUER,
      aud: deps.config.JWT_AUDIENCE,
      iat: now,
      exp: now + 300,
    })}.`;
    const res = await request(app).get('/v1/profile').set('Authorization', `Bearer ${unsigned}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID');
  });

  it('reject an expired token', async () => {
    const user = await createUser(app);
    const expired = await token({ sub: user.id, sv: 0, role: 'USER' }, { exp: '-10s' });
    const res = await request(app).get('/v1/profile').set('Authorization', `Bearer ${expired}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID');
  });

  it('reject a token for another audience or issuer', async () => {
    const user = await createUser(app);
    for (const [iss, aud] of [
      [deps.config.JWT_ISSUER, 'other-app'],
      ['someone-else', deps.config.JWT_AUDIENCE],
    ] as const) {
      const wrong = await new SignJWT({ sv: 0, role: 'USER' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.id)
        .setIssuer(iss)
        .setAudience(aud)
        .setExpirationTime('5m')
        .sign(secret);
      const res = await request(app).get('/v1/profile').set('Authorization', `Bearer ${wrong}`);
      expect(res.status).toBe(401);
    }
  });

  it('accept a well-formed token of ours (the forged-token tests are not vacuous)', async () => {
    const user = await createUser(app);
    const good = await new SignJWT({ sv: 0, role: 'USER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(deps.config.JWT_ISSUER)
      .setAudience(deps.config.JWT_AUDIENCE)
      .setExpirationTime('5m')
      .sign(secret);
    const res = await request(app).get('/v1/profile').set('Authorization', `Bearer ${good}`);
    expect(res.status).toBe(200);
  });
});
