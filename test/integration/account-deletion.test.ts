import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userRateLimitKeys } from '../../api/middleware/rate-limit-keys.js';
import { heuristicProvider, type AiCoreProvider } from '../../shared/ai/index.js';
import type { Transcriber } from '../../shared/ai/openai/transcriber.js';
import { scoringJobId } from '../../shared/queue/contract.js';
import { enqueueScoring } from '../../shared/queue/producer.js';
import { StoredInputSchema } from '../../shared/sessions/input.js';
import { claimForProcessing } from '../../shared/sessions/lifecycle.js';
import { scoreSession } from '../../worker/processors/score-session.js';
import { transcribeClip } from '../../worker/processors/transcribe-clip.js';
import {
  accountDigest,
  CLIP,
  missionTemplate,
  richUser,
  type RichUser,
  UPLOADS_ACCEPTED,
} from '../helpers/account-fixture.js';
import { createTestApp } from '../helpers/app.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { submitText } from '../helpers/practice.js';
import { processorDeps, startScoringWorker } from '../helpers/worker.js';
import { userRowCounts, userTables } from '../helpers/user-tables.js';

/** Uploads are accepted (a transcriber is configured); no worker runs unless a test starts one. */
const t = createTestApp(UPLOADS_ACCEPTED);
const { app, deps } = t;
const proc = processorDeps(deps.config);
let templateId: string;

beforeAll(async () => {
  templateId = (await missionTemplate(t)).id;
});
afterAll(async () => {
  await deps.scoringQueue.obliterate({ force: true });
  await proc.close();
  await t.close();
});

const deleteAccount = (user: TestUser, body: unknown = { password: user.password }) =>
  request(app)
    .delete('/v1/account')
    .set(user.auth)
    .send(body as object);

/** Every rate-limit key in Redis, and those of one user (by id or account digest). */
async function limiterKeys() {
  return (await deps.redis.keys(`${deps.config.QUEUE_PREFIX}:rl:*`)).sort();
}
const keysOf = (keys: string[], user: TestUser) =>
  keys.filter((k) => k.includes(user.id) || k.includes(accountDigest(user.email)));

const zero = async () =>
  Object.fromEntries((await userTables(deps.prisma)).map((table) => [table, 0]));

describe('DELETE /v1/account', () => {
  it('requires authentication', async () => {
    const res = await request(app).delete('/v1/account').send({ password: 'whatever' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID');
  });

  it('rejects invalid input and deletes nothing', async () => {
    const user = await createUser(app);
    const before = await userRowCounts(deps.prisma, user.id);
    for (const body of [{}, { password: '' }, { password: 42 }, { password: 'x', extra: 1 }]) {
      const res = await deleteAccount(user, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(await userRowCounts(deps.prisma, user.id)).toEqual(before);
  });

  it('answers 401 AUTH_INVALID to a wrong password, deletes nothing, and counts a failed login', async () => {
    const user = await createUser(app);
    const before = await userRowCounts(deps.prisma, user.id);
    const res = await deleteAccount(user, { password: 'not my password' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID');
    expect(await userRowCounts(deps.prisma, user.id)).toEqual(before);
    const counter = `${deps.config.QUEUE_PREFIX}:rl:login-account:${accountDigest(user.email)}`;
    expect(await deps.redis.get(counter)).toBe('1');
    expect((await request(app).get('/v1/profile').set(user.auth)).status).toBe(200);
  });

  describe('with two users’ full histories', () => {
    let a: RichUser;
    let b: RichUser;
    beforeAll(async () => {
      a = await richUser(t, proc.deps, templateId);
      b = await richUser(t, proc.deps, templateId);
    }, 60_000);

    it('deletes every row of the caller, its rate-limit keys and queued jobs, and nothing of anyone else', async () => {
      const countsA = await userRowCounts(deps.prisma, a.user.id);
      const countsB = await userRowCounts(deps.prisma, b.user.id);
      for (const [table, n] of Object.entries(countsA)) expect(n, table).toBeGreaterThan(0);
      const keysBefore = await limiterKeys();
      // By user id (submits, reads) and by account (the failed login, per account and address).
      expect(keysOf(keysBefore, a.user).length).toBeGreaterThanOrEqual(4);
      const keysB = keysOf(keysBefore, b.user);
      expect(keysB.length).toBeGreaterThanOrEqual(4);
      // Nobody consumes this file's queue: the uploaded clip's job is still waiting.
      expect(await deps.scoringQueue.getJob(scoringJobId(a.sessions.audio))).toBeDefined();

      const res = await deleteAccount(a.user);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      // At once, though this process had just cached A as a valid principal.
      expect((await request(app).get('/v1/profile').set(a.user.auth)).status).toBe(401);

      expect(await userRowCounts(deps.prisma, a.user.id)).toEqual(await zero());
      expect(await userRowCounts(deps.prisma, b.user.id)).toEqual(countsB);
      // At the answer, the keys by user id or by account alone are gone (removed by name); those
      // by account and address once the background SCAN has ended.
      const byAddress = (k: string) => k.includes(`${accountDigest(a.user.email)}:`);
      const { known } = userRateLimitKeys(deps.config.QUEUE_PREFIX, a.user);
      expect(known).toEqual(
        expect.arrayContaining(keysOf(keysBefore, a.user).filter((k) => !byAddress(k))),
      );
      expect(keysOf(await limiterKeys(), a.user).filter((k) => !byAddress(k))).toEqual([]);
      expect(keysOf(keysBefore, a.user).filter(byAddress).length).toBeGreaterThan(0);
      await deps.background.idle();
      const keysAfter = await limiterKeys();
      expect(keysOf(keysAfter, a.user)).toEqual([]);
      expect(keysOf(keysAfter, b.user)).toEqual(keysB);
      expect(await deps.scoringQueue.getJob(scoringJobId(a.sessions.audio))).toBeUndefined();
      expect(await deps.scoringQueue.getJob(scoringJobId(b.sessions.audio))).toBeDefined();
    });

    it('ends the deleted user’s access and refresh tokens at once', async () => {
      const profile = await request(app).get('/v1/profile').set(a.user.auth);
      expect(profile.status).toBe(401);
      expect(profile.body.code).toBe('AUTH_INVALID');
      for (const refreshToken of [a.user.refreshToken, a.rotatedFrom]) {
        const res = await request(app).post('/v1/auth/refresh').send({ refreshToken });
        expect(res.status).toBe(401);
      }
      const again = await deleteAccount(a.user);
      expect(again.status).toBe(401);
      expect((await request(app).get('/v1/profile').set(b.user.auth)).status).toBe(200);
    });

    it('lets the same email sign up again, starting from zero', async () => {
      const res = await request(app)
        .post('/v1/auth/signup')
        .send({ email: a.user.email, password: 'a brand new password' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.user.id).not.toBe(a.user.id);
      const auth = { Authorization: `Bearer ${res.body.accessToken as string}` };
      const wallet = await request(app).get('/v1/wallet/me').set(auth);
      expect(wallet.body.wallet).toMatchObject({ xp: 0, coins: 0, gems: 0, level: 1 });
      const sessions = await request(app).get('/v1/practice/sessions').set(auth);
      expect(sessions.body.items).toEqual([]);
      const login = await request(app)
        .post('/v1/auth/login')
        .send({ email: a.user.email, password: 'a brand new password' });
      expect(login.status).toBe(200);
    });
  });
});

describe('scoring jobs of a deleted account', () => {
  it('a job queued before the deletion completes as a no-op (not failed, nothing recreated)', async () => {
    const user = await createUser(app);
    const submitted = await submitText(app, user);
    expect(submitted.status).toBe(202);
    const sessionId = submitted.body.sessionId as string;
    expect((await deleteAccount(user)).status).toBe(204);

    // The processor itself: nothing to claim.
    expect(await scoreSession({ sessionId }, proc.deps)).toBe('not-claimable');
    // And through BullMQ, as a job the deletion could not remove (one already handed out).
    await enqueueScoring(deps.scoringQueue, deps.config, sessionId);
    const worker = startScoringWorker(deps.config);
    try {
      const finished = new Promise<{ state: string; value: unknown }>((resolve) => {
        const mine = (job: Job | undefined) => job?.data.sessionId === sessionId;
        worker.worker.on('completed', (job, value) => {
          if (mine(job)) resolve({ state: 'completed', value });
        });
        worker.worker.on('failed', (job, err) => {
          if (mine(job)) resolve({ state: 'failed', value: err.message });
        });
      });
      expect(await finished).toEqual({ state: 'completed', value: 'not-claimable' });
    } finally {
      await worker.close();
    }
    expect(await deps.prisma.practiceSession.count({ where: { id: sessionId } })).toBe(0);
    expect(await userRowCounts(deps.prisma, user.id)).toEqual(await zero());
  });

  it('a session whose account is deleted while it is scored is applied to nobody', async () => {
    const user = await createUser(app);
    const submitted = await submitText(app, user);
    const sessionId = submitted.body.sessionId as string;
    let deletion: number | undefined;
    // The account goes away between the claim and the apply (during the provider call).
    const provider: AiCoreProvider = {
      name: heuristicProvider.name,
      version: heuristicProvider.version,
      analyze: async (input) => {
        deletion = (await deleteAccount(user)).status;
        return heuristicProvider.analyze(input);
      },
    };
    const outcome = await scoreSession({ sessionId }, { ...proc.deps, provider });
    expect(deletion).toBe(204);
    expect(outcome).toBe('missing');
    expect(proc.published).not.toContain(sessionId);
    expect(await userRowCounts(deps.prisma, user.id)).toEqual(await zero());
  });

  it('an apply racing the deletion serialises with it: no error, and no row of the user is left', async () => {
    const user = await createUser(app);
    const submitted = await submitText(app, user);
    const sessionId = submitted.body.sessionId as string;
    let deletion: Promise<number> | undefined;
    // The deletion starts while the session is scored; the apply follows at once.
    const provider: AiCoreProvider = {
      name: heuristicProvider.name,
      version: heuristicProvider.version,
      analyze: (input) => {
        deletion = deleteAccount(user).then((r) => r.status);
        return heuristicProvider.analyze(input);
      },
    };
    const outcome = await scoreSession({ sessionId }, { ...proc.deps, provider });
    expect(['applied', 'missing']).toContain(outcome);
    expect(await deletion).toBe(204);
    expect(await userRowCounts(deps.prisma, user.id)).toEqual(await zero());
  });

  it('a clip whose account is deleted before its transcription ends quietly', async () => {
    const user = await createUser(app);
    const upload = await request(app)
      .post('/v1/practice/voice-session')
      .set(user.auth)
      .set('Idempotency-Key', randomUUID())
      .attach('audio', CLIP, 'clip.wav');
    expect(upload.status).toBe(202);
    const sessionId = upload.body.sessionId as string;
    const claimed = await claimForProcessing(deps.prisma, sessionId);
    if (!claimed) throw new Error('not claimed');
    const input = StoredInputSchema.parse(claimed.input);
    if (input.mode !== 'voice') throw new Error('not voice');
    expect((await deleteAccount(user)).status).toBe(204);

    const transcriber: Transcriber = {
      name: 'openai',
      model: 'whisper-1',
      transcribe: () => Promise.reject(new Error('a deleted clip must not be transcribed')),
    };
    expect(await transcribeClip({ prisma: deps.prisma, transcriber }, sessionId, input)).toBe(null);
    expect(await userRowCounts(deps.prisma, user.id)).toEqual(await zero());
  });
});
