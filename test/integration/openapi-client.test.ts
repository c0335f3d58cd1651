import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import request from 'supertest';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appWithWorker } from '../helpers/stack.js';

/**
 * A typed client generated from /v1/openapi.json (openapi-typescript, openapi-fetch), type-checked
 * with the TypeScript compiler and then run — the very JavaScript the checked program emits —
 * against the listening app with a real worker scoring the session.
 */
const t = appWithWorker();
const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'sg-openapi-client-'));
let baseUrl = '';
let close: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  close = () =>
    new Promise((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  const doc = (await request(t.app).get('/v1/openapi.json').expect(200)).body as OpenAPI3;
  writeFileSync(join(dir, 'schema.d.ts'), astToString(await openapiTS(doc)));
  // The generated client resolves openapi-fetch as an app would: from its node_modules.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(join(dir, 'client.ts'), CLIENT);
  writeFileSync(join(dir, 'wrong.ts'), WRONG);
});
afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

/** What an app would write against the generated `paths`: every field read is typed. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

export interface Outcome {
  sessionId: string;
  status: 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';
  score: number;
  xpGained: number;
  strongest: string | null;
  walletXp: number;
  sessionsCount: number;
  latestCharisma: number | null;
}

/** Signs up, submits a text session, long-polls it until scored, and reads the dashboard. */
export async function practiceOnce(baseUrl: string, email: string, key: string): Promise<Outcome> {
  const api = createClient<paths>({ baseUrl });
  const signup = await api.POST('/v1/auth/signup', {
    body: { email, password: 'correct horse battery' },
  });
  if (!signup.data) throw new Error('signup: ' + signup.error.code);
  const headers = { Authorization: 'Bearer ' + signup.data.accessToken };

  const submitted = await api.POST('/v1/practice/session', {
    headers,
    params: { header: { 'idempotency-key': key } },
    body: {
      topic: 'Weekend plans',
      messages: [
        { role: 'AI', content: 'I spent Saturday at a pottery workshop, my hands are still covered in clay' },
        { role: 'USER', content: 'Fun! What did you make? I have always wanted to try the wheel' },
      ],
    },
  });
  if (!submitted.data) throw new Error('submit: ' + submitted.error.code);
  const sessionId = submitted.data.sessionId;

  for (let attempt = 0; attempt < 20; attempt++) {
    const polled = await api.GET('/v1/practice/sessions/{id}', {
      headers,
      params: { path: { id: sessionId }, query: { waitMs: 5000 } },
    });
    if (!polled.data) throw new Error('poll: ' + polled.error.code);
    const view = polled.data;
    if (view.status === 'FAILED') throw new Error('scoring failed: ' + (view.error?.code ?? '?'));
    if (view.result === null) continue;
    const dashboard = await api.GET('/v1/stats/dashboard', { headers });
    if (!dashboard.data) throw new Error('dashboard: ' + dashboard.error.code);
    return {
      sessionId,
      status: view.status,
      score: view.result.score,
      xpGained: view.result.rewards.xpGained,
      strongest: view.result.insights.strongestTraits[0]?.trait ?? null,
      walletXp: dashboard.data.wallet.xp,
      sessionsCount: dashboard.data.stats.sessionsCount,
      latestCharisma: dashboard.data.stats.latest?.charismaIndex ?? null,
    };
  }
  throw new Error('session ' + sessionId + ' was not scored');
}
`;

/** Misuses the generated types; each line marked WRONG must be a compile error (and no other). */
const WRONG = `import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const api = createClient<paths>({ baseUrl: 'http://localhost' });

export async function misuse(): Promise<unknown[]> {
  const out: unknown[] = [];
  out.push(await api.POST('/v1/practice/session', { body: { messages: [] } })); // WRONG: no Idempotency-Key
  out.push(await api.GET('/v1/no/such/route')); // WRONG: not in the document
  const polled = await api.GET('/v1/practice/sessions/{id}', { params: { path: { id: 'x' } } });
  if (polled.data) {
    const score: number = polled.data.result.score; // WRONG: result is null until COMPLETED
    const nothing: string = polled.data.noSuchField; // WRONG: not a field of the view
    const mode: 'text' | 'voice' = polled.data.mode; // WRONG: mode may be 'ab'
    out.push(score, nothing, mode);
  }
  const dashboard = await api.GET('/v1/stats/dashboard');
  if (dashboard.data) {
    const tier: number = dashboard.data.stats.socialTier; // WRONG: a tier name or null
    out.push(tier);
  }
  if (dashboard.error) {
    const code: 'EMAIL_TAKEN' = dashboard.error.code; // WRONG: not a code this route answers
    out.push(code);
  }
  return out;
}
`;

/** Type-checks one file of the temp dir as a strict app would; its program and diagnostics. */
function typeCheck(file: string) {
  const program = ts.createProgram([join(dir, file)], {
    strict: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    rootDir: dir,
    outDir: join(dir, 'out'),
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ({
    line: d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0,
    file: d.file?.fileName.slice(dir.length + 1) ?? '',
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
  return { program, diagnostics };
}

describe('a client generated from /v1/openapi.json', () => {
  it('type-checks with zero diagnostics, then signs up, practises and reads the dashboard', async () => {
    const { program, diagnostics } = typeCheck('client.ts');
    expect(diagnostics).toEqual([]);
    // Run what the checked program emits (the same code, types erased).
    const emitted = program.emit();
    expect(emitted.emitSkipped).toBe(false);
    const client = (await import(pathToFileURL(join(dir, 'out', 'client.js')).href)) as {
      practiceOnce: (baseUrl: string, email: string, key: string) => Promise<unknown>;
    };
    const email = `client-${randomUUID()}@example.com`;
    const outcome = await client.practiceOnce(baseUrl, email, randomUUID());
    expect(outcome).toEqual({
      sessionId: expect.any(String),
      status: 'COMPLETED',
      score: expect.any(Number),
      xpGained: expect.any(Number),
      strongest: expect.any(String),
      walletXp: expect.any(Number),
      sessionsCount: 1,
      latestCharisma: expect.any(Number),
    });
    // What the client read is what the server stored.
    const { sessionId, xpGained, walletXp } = outcome as {
      sessionId: string;
      xpGained: number;
      walletXp: number;
    };
    const row = await t.deps.prisma.practiceSession.findUniqueOrThrow({
      where: { id: sessionId },
      include: { user: { include: { wallet: true } } },
    });
    expect(row.user.email).toBe(email);
    expect(row.xpGained).toBe(xpGained);
    expect(row.user.wallet?.xp).toBe(walletXp);
  });

  it('turns each misuse of the generated types into a compile error (types are not any)', () => {
    const { diagnostics } = typeCheck('wrong.ts');
    const wrongLines = WRONG.split('\n').flatMap((line, i) =>
      line.includes('// WRONG') ? [i + 1] : [],
    );
    expect(wrongLines).toHaveLength(7);
    const inFile = diagnostics.filter((d) => d.file === 'wrong.ts');
    expect(diagnostics.filter((d) => d.file !== 'wrong.ts')).toEqual([]);
    expect([...new Set(inFile.map((d) => d.line))].sort((a, b) => a - b)).toEqual(wrongLines);
  });
});
