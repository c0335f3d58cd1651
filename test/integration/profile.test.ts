import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createUser, uniqueEmail } from '../helpers/factories.js';

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
        name: null,
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

describe('display name (the A.1 client sends it at signup)', () => {
  const signup = (body: Record<string, unknown>) =>
    request(app)
      .post('/v1/auth/signup')
      .send({ email: uniqueEmail('named'), password: 'long-enough-1', ...body });

  it('is stored at signup, trimmed, and shown by GET /v1/profile', async () => {
    const res = await signup({ name: '  Zoë 🙂 Müller ' });
    expect(res.status).toBe(201);
    const profile = await request(app)
      .get('/v1/profile')
      .set({ Authorization: `Bearer ${res.body.accessToken as string}` });
    expect(profile.body.profile.name).toBe('Zoë 🙂 Müller');
  });

  it('rejects an empty, blank, too long or control-character name at signup, creating nothing', async () => {
    const bad = [
      '',
      '   ',
      'x'.repeat(81),
      'two\nlines',
      'tab\there',
      'bell\u0007',
      'sep\u2028x',
      7,
    ];
    for (const name of bad) {
      const email = uniqueEmail('badname');
      const res = await request(app)
        .post('/v1/auth/signup')
        .send({ email, password: 'long-enough-1', name });
      expect({ name, status: res.status, code: res.body.code }).toEqual({
        name,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect((res.body.errors as { path: string }[]).map((e) => e.path)).toEqual(['name']);
      expect(await t.deps.prisma.user.count({ where: { email } })).toBe(0);
    }
  });

  it('counts 80 characters, not UTF-16 units (80 emoji fit)', async () => {
    const res = await signup({ name: '🙂'.repeat(80) });
    expect(res.status).toBe(201);
    expect((await signup({ name: '🙂'.repeat(81) })).status).toBe(400);
  });

  it('can be set, changed and removed with PATCH /v1/profile/preferences, alone', async () => {
    const user = await createUser(app);
    const set = await request(app)
      .patch('/v1/profile/preferences')
      .set(user.auth)
      .send({ name: ' Sam ' });
    expect(set.status).toBe(200);
    expect(set.body.profile).toMatchObject({ name: 'Sam', gender: 'UNKNOWN', timezone: 'UTC' });
    expect((await request(app).get('/v1/profile').set(user.auth)).body.profile.name).toBe('Sam');
    const removed = await request(app)
      .patch('/v1/profile/preferences')
      .set(user.auth)
      .send({ name: null });
    expect(removed.status).toBe(200);
    expect(removed.body.profile.name).toBeNull();
  });

  it('rejects an invalid name in PATCH, changing nothing', async () => {
    const user = await createUser(app);
    await request(app).patch('/v1/profile/preferences').set(user.auth).send({ name: 'Kept' });
    const res = await request(app)
      .patch('/v1/profile/preferences')
      .set(user.auth)
      .send({ name: 'esc\u001bape', gender: 'MALE' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const profile = (await request(app).get('/v1/profile').set(user.auth)).body.profile;
    expect(profile).toMatchObject({ name: 'Kept', gender: 'UNKNOWN' });
  });

  it("changes only the caller's name", async () => {
    const [one, two] = [await createUser(app), await createUser(app)];
    await request(app).patch('/v1/profile/preferences').set(one.auth).send({ name: 'One' });
    expect((await request(app).get('/v1/profile').set(two.auth)).body.profile.name).toBeNull();
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
