import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDocument } from '../../api/account/export.js';
import { AccountExportSchema, type AccountExport } from '../../api/account/schemas.js';
import { loadAccountHead } from '../../shared/users/account-export.js';
import { createTestApp } from '../helpers/app.js';
import {
  CLIP,
  missionTemplate,
  richUser,
  UPLOADS_ACCEPTED,
  type RichUser,
} from '../helpers/account-fixture.js';
import { createUser, type TestUser } from '../helpers/factories.js';
import { processorDeps } from '../helpers/worker.js';
import { userRows, userTables } from '../helpers/user-tables.js';

/** Uploads are accepted (a transcriber is configured); no worker runs, so clips stay stored. */
const t = createTestApp(UPLOADS_ACCEPTED);
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

type Row = Record<string, unknown>;

/** Where a table's rows appear in the export, and how their fields name the table's columns. */
interface ExportedTable {
  rows: (e: AccountExport) => Row[];
  /** An exported row's primary key (default: its `id`). */
  key?: (row: Row, e: AccountExport) => string;
  /** The columns a field (dotted path) of the row stands for (default: the path itself). */
  columns?: (path: string) => string[];
  /**
   * Columns a row carries by its place in the export rather than a field: the owner (`userId`,
   * the profile) or the session it is nested in (`sessionId`).
   */
  implied?: string[];
}

/** Left out on purpose: credential verifiers (account-export.ts), never exported. */
const SECRET_COLUMNS: Record<string, string[]> = {
  User: ['passwordHash'],
  RefreshToken: ['tokenHash'],
  PasswordResetToken: ['tokenHash'],
};

/** Session columns whose export field is named otherwise (under result.metrics). */
const METRIC_COLUMNS: Record<string, string> = {
  'result.metrics.confidence': 'confidenceScore',
  'result.metrics.clarity': 'clarityScore',
  'result.metrics.humor': 'humorScore',
  'result.metrics.tensionControl': 'tensionScore',
  'result.metrics.dominance': 'dominanceScore',
};

const owned = { implied: ['userId'] };
const EXPORTED: Record<string, ExportedTable> = {
  User: { rows: (e) => [e.profile] },
  UserWallet: { rows: (e) => (e.wallet ? [e.wallet] : []), key: (_r, e) => e.profile.id, ...owned },
  UserStats: { rows: (e) => (e.stats ? [e.stats] : []), key: (_r, e) => e.profile.id, ...owned },
  RefreshToken: { rows: (e) => e.refreshTokens, ...owned },
  PasswordResetToken: { rows: (e) => e.passwordResetTokens, ...owned },
  IdempotencyKey: { rows: (e) => e.idempotencyKeys, ...owned },
  PowerUpUsage: { rows: (e) => e.powerUpUsages, ...owned },
  WalletLedgerEntry: { rows: (e) => e.ledger, ...owned },
  MissionProgress: { rows: (e) => e.missionProgress, ...owned },
  PracticeSession: {
    rows: (e) => e.sessions,
    columns: (path) =>
      path === 'error'
        ? ['errorCode', 'errorMessage']
        : [METRIC_COLUMNS[path] ?? path.replace(/^result\.(metrics\.)?/, '')],
    ...owned,
  },
  ChatMessage: { rows: (e) => e.sessions.flatMap((s) => s.messages), implied: ['sessionId'] },
  VoiceClip: {
    rows: (e) => e.sessions.flatMap((s) => (s.voiceClip ? [s.voiceClip] : [])),
    // The bytes, while stored, are in `voiceClipAudio` (checked byte for byte below).
    implied: ['sessionId', 'audio'],
  },
};

/** Every dotted path of an object's fields, nested objects' fields included. */
function fieldPaths(row: Row, prefix = ''): string[] {
  return Object.entries(row).flatMap(([name, value]) => {
    const path = prefix + name;
    const nested =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? fieldPaths(value as Row, `${path}.`)
        : [];
    return [path, ...nested];
  });
}

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
      const exported = EXPORTED[table];
      const keys = exported?.rows(body).map((r) => exported.key?.(r, body) ?? String(r.id));
      expect([...(keys ?? [])].sort(), table).toEqual(stored);
    }
  });

  it('carries every column of each exported row (found from the schema), but the credential hashes', async () => {
    const { body } = await exportOf(a.user);
    const columns = await deps.prisma.$queryRaw<{ table: string; column: string }[]>`
      SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
      WHERE table_schema = current_schema()`;
    const missing: Record<string, string[]> = {};
    for (const table of await userTables(deps.prisma)) {
      const exported = EXPORTED[table];
      if (!exported) throw new Error(`${table} is not exported`);
      const left = [...(SECRET_COLUMNS[table] ?? []), ...(exported.implied ?? [])];
      const expected = columns
        .filter((c) => c.table === table && !left.includes(c.column))
        .map((c) => c.column);
      const rows = exported.rows(body);
      expect(rows.length, `${table} rows exported`).toBeGreaterThan(0);
      for (const row of rows) {
        const carried = new Set(
          fieldPaths(row).flatMap((path) => exported.columns?.(path) ?? [path]),
        );
        const absent = expected.filter((c) => !carried.has(c));
        if (absent.length > 0)
          missing[table] = [...new Set([...(missing[table] ?? []), ...absent])];
      }
    }
    expect(missing, 'columns missing from exported rows').toEqual({});
    // The columns left out are still columns (a renamed one would make the list above lie).
    for (const [table, secrets] of Object.entries(SECRET_COLUMNS)) {
      for (const column of secrets) {
        expect(columns, `${table}.${column}`).toContainEqual({ table, column });
      }
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
