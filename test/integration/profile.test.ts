import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';

const t = createTestApp();
const { app } = t;
afterAll(() => t.close());

describe('GET /v1/profile', () => {
  it('requires authentication', async () => {
    expect((await request(app).get('/v1/profile')).status).toBe(401);
  });

  it("answers the caller's own profile", async () => {
    const user = await createUser(app, { timezone: 'Asia/Jerusalem' });
    await createUser(app);
    const res = await request(app).get('/v1/profile').set(user.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      profile: {
        userId: user.id,
        email: user.email,
        gender: 'UNKNOWN',
        attractedTo: 'UNKNOWN',
        preferencePath: 'UNKNOWN_PATH',
        timezone: 'Asia/Jerusalem',
        tier: 'FREE',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      },
    });
  });
});

describe('PATCH /v1/profile/preferences', () => {
  it('requires authentication', async () => {
    expect(
      (await request(app).patch('/v1/profile/preferences').send({ gender: 'MALE' })).status,
    ).toBe(401);
  });

  it('updates preferences and derives preferencePath from attractedTo', async () => {
    const user = await createUser(app);
    const cases = [
      ['WOMEN', 'FEMALE_PATH'],
      ['MEN', 'MALE_PATH'],
      ['BOTH', 'DUAL_PATH'],
      ['OTHER', 'OTHER_PATH'],
      ['UNKNOWN', 'UNKNOWN_PATH'],
    ] as const;
    for (const [attractedTo, path] of cases) {
      const res = await request(app)
        .patch('/v1/profile/preferences')
        .set(user.auth)
        .send({ attractedTo });
      expect(res.status).toBe(200);
      expect(res.body.profile).toMatchObject({ attractedTo, preferencePath: path });
    }
    const res = await request(app)
      .patch('/v1/profile/preferences')
      .set(user.auth)
      .send({ gender: 'FEMALE', timezone: 'America/New_York' });
    expect(res.body.profile).toMatchObject({
      gender: 'FEMALE',
      timezone: 'America/New_York',
      attractedTo: 'UNKNOWN',
    });
    expect((await request(app).get('/v1/profile').set(user.auth)).body.profile.timezone).toBe(
      'America/New_York',
    );
  });

  it('answers 400 PREFS_EMPTY for an empty body', async () => {
    const user = await createUser(app);
    const res = await request(app).patch('/v1/profile/preferences').set(user.auth).send({});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PREFS_EMPTY');
  });

  it('rejects bad enums, a non-IANA timezone and unknown fields, changing nothing', async () => {
    const user = await createUser(app);
    const res = await request(app).patch('/v1/profile/preferences').set(user.auth).send({
      gender: 'robot',
      attractedTo: 'everyone',
      timezone: 'Not/AZone',
      preferencePath: 'MALE_PATH',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['gender', 'attractedTo', 'timezone']));
    const profile = (await request(app).get('/v1/profile').set(user.auth)).body.profile;
    expect(profile).toMatchObject({ gender: 'UNKNOWN', attractedTo: 'UNKNOWN', timezone: 'UTC' });
  });
});
