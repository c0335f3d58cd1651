import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDocument } from '../../api/account/export.js';
import { AccountExportSchema, type AccountExport } from '../../api/account/schemas.js';
import { loadAccountHead } from '../../shared/users/account-export.js';
import { createTestApp } from '../helpers/app.js';
import { CLIP, missionTemplate, richUser, type RichUser } from '../helpers/account-fixture.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { processorDeps } from '../helpers/worker.js';
import { userRows, userTables } from '../helpers/user-tables.js';

/** Uploads are accepted (a transcriber is configured); no worker runs, so clips stay stored. */
const t = createTestApp({
  TRANSCRIPTION_PROVIDER: 'openai',
  TRANSCRIPTION_API_KEY: 'sk-test-fake',
  TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:9/v1',
});
const { app, deps } = t;
const proc = processorDeps(deps.config);
let a: RichUser;
let b: RichUser;

beforeAll(async () => {
  const template = await missionTemplate(t);
  a = await richUser(t, proc.deps, template.id);
  b = await richUser(t, proc.deps, template.id);
}, 60_000);
afterAll(async () => {
  await proc.close();
  await t.close();
});

async function exportOf(user: TestUser) {
  const res = await request(app).get('/v1/account/export').set(user.auth);
  expect(res.status, res.text.slice(0, 500)).toBe(200);
  return { res, body: res.body as AccountExport, text: res.text };
}

/** Where each table's rows appear in the export, by primary key. */
const EXPORTED: Record<string, (e: AccountExport) => string[]> = {
  User: (e) => [e.profile.id],
  UserWallet: (e) => (e.wallet ? [e.profile.id] : []),
  UserStats: (e) => (e.stats ? [e.profile.id] : []),
  RefreshToken: (e) => e.refreshTokens.map((r) => r.id),
  PasswordResetToken: (e) => e.passwordResetTokens.map((r) => r.id),
  IdempotencyKey: (e) => e.idempotencyKeys.map((r) => r.id),
  PowerUpUsage: (e) => e.powerUpUsages.map((r) => r.id),
  WalletLedgerEntry: (e) => e.ledger.map((r) => r.id),
  MissionProgress: (e) => e.missionProgress.map((r) => r.id),
  PracticeSession: (e) => e.sessions.map((s) => s.id),
  ChatMessage: (e) => e.sessions.flatMap((s) => s.messages.map((m) => m.id)),
  VoiceClip: (e) => e.sessions.flatMap((s) => (s.voiceClip ? [s.voiceClip.id] : [])),
};

describe('GET /v1/account/export', () => {
  it('requires authentication', async () => {
    const res = await request(app).get('/v1/account/export');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_INVALID');
    const bad = await request(app)
      .get('/v1/account/export')
      .set('Authorization', 'Bearer not-a-token');
    expect(bad.status).toBe(401);
  });

  it('answers an attachment named by the date that no cache may store', async () => {
    const { res, body } = await exportOf(a.user);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const date = body.exportedAt.slice(0, 10);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="socialgym-export-${date}.json"`,
    );
    expect(() => AccountExportSchema.parse(body)).not.toThrow();
  });

  it('holds every row of every table that can hold a user’s rows (found from the schema)', async () => {
    const { body } = await exportOf(a.user);
    const tables = await userTables(deps.prisma);
    // A table the export does not know is a table whose rows the export would miss.
    expect(tables.filter((table) => !(table in EXPORTED))).toEqual([]);
    const rows = await userRows(deps.prisma, a.user.id);
    for (const table of tables) {
      const stored = rows.get(table) ?? [];
      // The fixture gives the user rows in every table, so each check below proves something.
      expect(stored.length, `${table} rows of the fixture user`).toBeGreaterThan(0);
      expect([...(EXPORTED[table]?.(body) ?? [])].sort(), table).toEqual(stored);
    }
  });

  it('exports each session in full: input, transcript, messages, result and stored audio', async () => {
    const { body } = await exportOf(a.user);
    const byId = new Map(body.sessions.map((s) => [s.id, s]));
    const text = byId.get(a.sessions.text);
    expect(text).toMatchObject({ mode: 'text', status: 'COMPLETED', transcript: null });
    const submitted = (text?.input as { messages: { content: string }[] }).messages;
    expect(text?.messages.map((m) => m.content)).toEqual(submitted.map((m) => m.content));
    expect(text?.result.score).toEqual(expect.any(Number));
    expect(text?.result.aiSummary).toMatchObject({ rewards: { score: text?.result.score } });
    expect(text?.result.aiCorePayload).toMatchObject({ provider: 'heuristic' });
    expect(text).toHaveProperty('result.walletAfter');
    const row = await deps.prisma.practiceSession.findUniqueOrThrow({
      where: { id: a.sessions.text },
    });
    expect(text?.result.xpGained).toBe(row.xpGained);
    expect(text?.result.walletAfter).toEqual(row.walletAfter);
    expect(text?.templateId).toBe(body.missionProgress[0]?.templateId);

    const voice = byId.get(a.sessions.voice);
    expect(voice?.mode).toBe('voice');
    expect(voice?.transcript).toMatch(/^So I climb on Tuesdays/);
    expect(byId.get(a.sessions.ab)?.input).toMatchObject({ mode: 'ab', optionB: 'Cool.' });

    const audio = byId.get(a.sessions.audio);
    expect(audio).toMatchObject({ mode: 'voice', status: 'QUEUED', transcript: null });
    expect(audio?.voiceClip).toMatchObject({ mimeType: 'audio/wav', sizeBytes: CLIP.length });
    expect(body.voiceClipAudio).toHaveLength(1);
    const [clip] = body.voiceClipAudio;
    expect(clip).toMatchObject({ clipId: audio?.voiceClip?.id, sessionId: a.sessions.audio });
    expect(Buffer.from(clip?.audio ?? '', 'base64').equals(CLIP)).toBe(true);

    expect(body.ledger.filter((e) => e.kind === 'SESSION_REWARD')).toHaveLength(3);
    expect(body.refreshTokens).toHaveLength(3);
    expect(body.refreshTokens.filter((r) => r.replacedBy !== null)).toHaveLength(1);
    expect(body.idempotencyKeys.map((k) => k.sessionId).sort()).toEqual(
      Object.values(a.sessions).sort(),
    );
    expect(body.wallet?.lifetimeXp).toBe(body.ledger.reduce((sum, e) => sum + e.xp, 0));
    expect(body.stats?.sessionsCount).toBe(3);
    expect(body.profile).toMatchObject({ id: a.user.id, email: a.user.email, timezone: 'UTC' });
  });

  it('never exports a password hash or a token hash', async () => {
    const { text } = await exportOf(a.user);
    const user = await deps.prisma.user.findUniqueOrThrow({ where: { id: a.user.id } });
    const refresh = await deps.prisma.refreshToken.findMany({ where: { userId: a.user.id } });
    const resets = await deps.prisma.passwordResetToken.findMany({ where: { userId: a.user.id } });
    expect(refresh.length + resets.length).toBeGreaterThan(0);
    for (const secret of [user.passwordHash, ...refresh.map((r) => r.tokenHash)]) {
      expect(text).not.toContain(secret);
    }
    for (const r of resets) expect(text).not.toContain(r.tokenHash);
    expect(text).not.toMatch(/passwordHash|tokenHash/);
  });

  it('cannot read another user’s data: nothing of B is in A’s export', async () => {
    const { text, body } = await exportOf(a.user);
    expect(body.profile.id).toBe(a.user.id);
    const others = await userRows(deps.prisma, b.user.id);
    for (const [table, ids] of others) {
      for (const id of ids) expect(text, `${table} ${id}`).not.toContain(id);
    }
    expect(text).not.toContain(b.user.email);
  });

  it('gives the same document whatever the page sizes (keyset pages cover every row once)', async () => {
    const { body } = await exportOf(a.user);
    const head = await loadAccountHead(deps.prisma, a.user.id);
    if (!head) throw new Error('no user');
    let out = '';
    const exportedAt = new Date(body.exportedAt);
    for await (const piece of exportDocument(deps.prisma, a.user.id, head, exportedAt, {
      sessions: 1,
      rows: 1,
    })) {
      out += piece;
    }
    expect(JSON.parse(out)).toEqual(body);
  });

  it('is listed in the OpenAPI document with the account deletion', async () => {
    const doc = await request(app).get('/v1/openapi.json');
    const paths = doc.body.paths as Record<string, Record<string, { responses: object }>>;
    expect(Object.keys(paths['/v1/account/export']?.get?.responses ?? {})).toContain('200');
    expect(Object.keys(paths['/v1/account']?.delete?.responses ?? {})).toEqual(
      expect.arrayContaining(['204', '400', '401', '429']),
    );
  });

  it('exports a new user’s empty history', async () => {
    const fresh = await createUser(app);
    const { body } = await exportOf(fresh);
    expect(body).toMatchObject({
      profile: { id: fresh.id },
      wallet: { xp: 0, level: 1 },
      sessions: [],
      ledger: [],
      voiceClipAudio: [],
    });
    expect(body.refreshTokens).toHaveLength(1);
  });
});
