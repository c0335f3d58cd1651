import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from 'express';
import { z } from 'zod';
import { PROBLEMS, route, type Operation } from '../../api/shared/operations.js';
import { createTestApp } from '../helpers/app.js';

// Flags on: the flagged routes answer as documented instead of 404.
const on = createTestApp({
  ENABLE_DEV_ROUTES: 'true',
  FEATURE_CHAT: 'true',
  FEATURE_POWERUPS: 'true',
});
afterAll(() => on.close());

interface DocResponse {
  description: string;
  content?: {
    'application/problem+json'?: {
      schema: { allOf: [unknown, { properties: { code: { enum: string[] } } }] };
    };
  } & Record<string, unknown>;
}
interface DocOperation {
  security?: unknown[];
  responses: Record<string, DocResponse>;
}
type Doc = { paths: Record<string, Record<string, DocOperation>> };
let doc: Doc;
beforeAll(async () => {
  doc = (await request(on.app).get('/v1/openapi.json').expect(200)).body as Doc;
});

/** Every problem code the document lists for one operation. */
function documentedCodes(op: DocOperation): string[] {
  return Object.values(op.responses).flatMap(
    (r) => r.content?.['application/problem+json']?.schema.allOf[1].properties.code.enum ?? [],
  );
}

const documented = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );

interface Layer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Method and OpenAPI path of every route Express has mounted, walking nested routers. */
function mounted(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = `${prefix}${layer.route.path === '/' ? '' : layer.route.path}`;
      return Object.keys(layer.route.methods).map(
        (m) => `${m.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`,
      );
    }
    if (layer.handle.stack && typeof layer.rawPath === 'string')
      return mounted(layer.handle.stack, `${prefix}${layer.rawPath === '/' ? '' : layer.rawPath}`);
    return [];
  });
}

describe('GET /v1/openapi.json', () => {
  it('documents every route mounted under /v1 and /metrics, and nothing else', () => {
    const stack = (on.app as unknown as { router: { stack: Layer[] } }).router.stack;
    const documentable = (path = '') => path.startsWith('/v1/') || path === '/metrics';
    const routes = [...new Set(mounted(stack).filter((r) => documentable(r.split(' ')[1])))];
    expect(routes.length).toBeGreaterThan(20);
    expect(new Set(documented())).toEqual(new Set(routes));
  });

  it('answers 401 without a token exactly on the operations it marks as authenticated', async () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const url = path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
        const res = await request(on.app)[method as 'get' | 'post' | 'patch'](url);
        const answered = res.status === 401 ? '401' : 'not 401';
        expect(`${method} ${path} ${answered}`).toBe(
          `${method} ${path} ${op.security ? '401' : 'not 401'}`,
        );
        if (op.security) expect(documentedCodes(op)).toContain(res.body.code);
      }
    }
  });

  it('lists each problem code under its own status', () => {
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const problem = response.content?.['application/problem+json'];
          if (!problem) continue;
          const codes = problem.schema.allOf[1].properties.code.enum as (keyof typeof PROBLEMS)[];
          for (const code of codes)
            expect(`${code} ${String(PROBLEMS[code])}`).toBe(`${code} ${status}`);
        }
      }
    }
  });

  /** The error codes API.md's route tables name for each route (and the 400 of a validated body). */
  const API_MD: Record<string, string[]> = {
    'post /v1/auth/signup': ['EMAIL_TAKEN', 'VALIDATION_FAILED', 'RATE_LIMITED'],
    'post /v1/auth/login': ['AUTH_INVALID', 'RATE_LIMITED', 'VALIDATION_FAILED'],
    'post /v1/auth/refresh': [
      'AUTH_REFRESH_INVALID',
      'AUTH_REFRESH_EXPIRED',
      'AUTH_REFRESH_REUSED',
    ],
    'post /v1/auth/logout': ['AUTH_INVALID', 'AUTH_REVOKED', 'VALIDATION_FAILED'],
    'post /v1/auth/revoke': ['AUTH_INVALID', 'FORBIDDEN', 'USER_NOT_FOUND', 'VALIDATION_FAILED'],
    'post /v1/auth/password': ['AUTH_INVALID', 'VALIDATION_FAILED'],
    'post /v1/auth/password-reset/request': ['VALIDATION_FAILED', 'RATE_LIMITED'],
    'post /v1/auth/password-reset/confirm': ['RESET_TOKEN_INVALID', 'VALIDATION_FAILED'],
    'patch /v1/profile/preferences': ['PREFS_EMPTY', 'VALIDATION_FAILED'],
    'post /v1/practice/session': [
      'IDEMPOTENCY_KEY_REQUIRED',
      'IDEMPOTENCY_KEY_REUSED',
      'PERSONA_NOT_FOUND',
      'TEMPLATE_NOT_FOUND',
      'PRACTICE_NO_USER_MESSAGE',
      'TEMPLATE_LIMIT_EXCEEDED',
      'OVERLOADED',
      'RATE_LIMITED',
      'MALFORMED_JSON',
      'PAYLOAD_TOO_LARGE',
    ],
    'post /v1/practice/voice-session': [
      'IDEMPOTENCY_KEY_REQUIRED',
      'IDEMPOTENCY_KEY_REUSED',
      'PERSONA_NOT_FOUND',
      'TEMPLATE_NOT_FOUND',
      'TEMPLATE_LIMIT_EXCEEDED',
      'TRANSCRIPTION_UNAVAILABLE',
      'OVERLOADED',
      'RATE_LIMITED',
      'PAYLOAD_TOO_LARGE',
      'MALFORMED_REQUEST',
    ],
    'post /v1/practice/ab-session': [
      'IDEMPOTENCY_KEY_REQUIRED',
      'IDEMPOTENCY_KEY_REUSED',
      'PERSONA_NOT_FOUND',
      'TEMPLATE_NOT_FOUND',
      'TEMPLATE_LIMIT_EXCEEDED',
      'OVERLOADED',
      'RATE_LIMITED',
    ],
    'get /v1/practice/sessions/{id}': ['SESSION_NOT_FOUND', 'VALIDATION_FAILED'],
    'get /v1/practice/sessions': ['VALIDATION_FAILED', 'INVALID_CURSOR'],
    'get /v1/wallet/transactions': ['VALIDATION_FAILED', 'INVALID_CURSOR'],
    'get /v1/health/ready': ['NOT_READY'],
    'post /v1/sessions/mock': ['ROUTE_NOT_FOUND', 'IDEMPOTENCY_KEY_REQUIRED'],
    'post /v1/chat/message': ['ROUTE_NOT_FOUND', 'SESSION_NOT_FOUND', 'VALIDATION_FAILED'],
    'get /v1/powerups/available': ['ROUTE_NOT_FOUND'],
  };

  it('lists the error codes API.md gives each route', () => {
    for (const [route, codes] of Object.entries(API_MD)) {
      const [method = '', path = ''] = route.split(' ');
      const op = doc.paths[path]?.[method];
      expect(op, route).toBeDefined();
      if (op)
        expect({ route, codes: documentedCodes(op) }).toEqual({
          route,
          codes: expect.arrayContaining(codes),
        });
    }
  });

  it('lists the problems any route can answer: 500 everywhere, 503 where Postgres is needed', () => {
    const withoutDatabase = ['get /v1/health', 'get /v1/health/ready', 'get /v1/openapi.json'];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const route = `${method} ${path}`;
        const codes = documentedCodes(op);
        expect({ route, codes }).toEqual({
          route,
          codes: expect.arrayContaining(['MALFORMED_REQUEST', 'INTERNAL']),
        });
        const unavailable = codes.includes('SERVICE_UNAVAILABLE');
        const needsDatabase = !withoutDatabase.includes(route) && path !== '/metrics';
        expect({ route, unavailable }).toEqual({ route, unavailable: needsDatabase });
      }
    }
  });

  it('gives every success response a body schema (only a 204 has none)', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const successes = Object.entries(op.responses).filter(([status]) => status < '300');
        expect(successes.length, `${method} ${path}`).toBeGreaterThan(0);
        for (const [status, response] of successes) {
          const schemas = Object.values(response.content ?? {}) as { schema?: unknown }[];
          expect({ at: `${method} ${path} ${status}`, bodies: schemas.length }).toEqual({
            at: `${method} ${path} ${status}`,
            bodies: status === '204' ? 0 : 1,
          });
          for (const body of schemas) expect(body.schema).toBeTypeOf('object');
        }
      }
    }
  });

  it('refuses to declare a route without a success body schema', () => {
    const declare = (ok: unknown) => {
      route(Router(), { method: 'get', path: '/x', summary: 'x', ok } as Operation, (_req, res) => {
        res.end();
      });
    };
    expect(() => {
      declare({ 200: 'Described in words only' });
    }).toThrow(/GET \/x 200/);
    expect(() => {
      declare({ 200: { description: 'No schema' } });
    }).toThrow(/no success body schema/);
    expect(() => {
      declare({});
    }).toThrow(/no success response/);
    expect(() => {
      declare({ 204: { description: 'Gone', schema: z.object({}) } });
    }).toThrow(/noContent/);
    declare({ 200: { description: 'Ok', schema: z.object({ ok: z.literal(true) }) } });
    declare({ 204: { description: 'Gone', noContent: true } });
  });

  it('never lists a 409 on /v1/chat/message (nothing there sends one)', () => {
    expect(Object.keys(doc.paths['/v1/chat/message']?.post?.responses ?? {})).not.toContain('409');
  });

  /** Where each capability folder's routers are mounted. */
  const PREFIX: Record<string, string> = {
    auth: '/v1/auth/',
    profile: '/v1/profile',
    practice: '/v1/practice/',
    stats: '/v1/stats/',
    wallet: '/v1/wallet/',
    health: '/v1/health',
    catalog: '/v1/',
    missions: '/v1/missions',
    legacy: '/v1/',
  };
  /** Codes passed to AppError and its helpers, and (in api/, with sendProblem) `code:` fields. */
  const THROWN =
    /(?:badRequest|unauthorized|notFound|conflict|unprocessable|unavailable|AppError)\(\s*'([A-Z][A-Z_]+)'/g;
  const SENT = /code: '([A-Z][A-Z_]+)'/g;
  const codesIn = (file: string) => {
    const text = readFileSync(file, 'utf8');
    const sent = /sendProblem\(/.test(text) ? [...text.matchAll(SENT)] : [];
    return [...text.matchAll(THROWN), ...sent].map((m) => m[1] ?? '');
  };

  it('lists every code a capability folder throws on one of that folder’s routes', () => {
    const api = join(import.meta.dirname, '../../api');
    for (const [folder, prefix] of Object.entries(PREFIX)) {
      const thrown = readdirSync(join(api, folder))
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => codesIn(join(api, folder, f)));
      const listed = Object.entries(doc.paths)
        .filter(([path]) => path.startsWith(prefix))
        .flatMap(([, ops]) => Object.values(ops).flatMap(documentedCodes));
      for (const code of thrown)
        expect({ folder, code, listed: listed.includes(code) }).toEqual({
          folder,
          code,
          listed: true,
        });
    }
  });

  it('knows every code thrown anywhere, and lists each on some route', () => {
    const root = join(import.meta.dirname, '../..');
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(join(dir, e.name))
          : e.name.endsWith('.ts')
            ? [join(root, dir, e.name)]
            : [],
      );
    // Bull Board and /metrics live outside /v1 and are not in the document.
    const thrown = [...files('api'), ...files('shared')]
      .filter((f) => !/ops[/\\](bull-board|metrics)\.ts$/.test(f))
      .flatMap(codesIn);
    for (const code of thrown) expect(Object.keys(PROBLEMS)).toContain(code);
    const listed = new Set(
      Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap(documentedCodes)),
    );
    // Answered by the app-wide error handler on any route, described once in API.md's conventions.
    const appWide = ['INTERNAL', 'SERVICE_UNAVAILABLE'];
    for (const code of Object.keys(PROBLEMS).filter((c) => !appWide.includes(c)))
      expect(listed).toContain(code);
  });
});
