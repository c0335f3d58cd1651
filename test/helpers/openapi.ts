import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request, { type Response } from 'supertest';
import { expect } from 'vitest';
import type { TestUser } from './factories.js';

/** The parts of the OpenAPI document the response checks read. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, DocResponse> }>>;
  components?: { schemas?: Record<string, unknown> };
}
interface DocResponse {
  description: string;
  content?: Record<string, { schema: unknown }>;
}

/** What the checks read of a response (a supertest Response has it). */
export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
  text: string;
}

/** Every operation of the document as `METHOD /path` (OpenAPI path syntax). */
export const operationsOf = (doc: OpenApiDoc) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
  );

/**
 * Objects that list their properties and say nothing about others are closed here: a body with a
 * field the document does not describe fails (the document itself stays open to additions).
 * `allOf` parts and the Problem component stay open (problems may carry extension members).
 */
function closeObjects(node: unknown, inAllOf = false): unknown {
  if (Array.isArray(node)) return node.map((n) => closeObjects(n, inAllOf));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'allOf' && Array.isArray(value)) out[key] = value.map((v) => closeObjects(v, true));
    else if (key === 'properties' && typeof value === 'object' && value !== null)
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, closeObjects(schema)]),
      );
    else out[key] = closeObjects(value);
  }
  if ('properties' in out && !('additionalProperties' in out) && !inAllOf)
    out.additionalProperties = false;
  return out;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks real responses against the document: the status must be documented for the operation,
 * the Content-Type must be the documented one, and the body must validate against its schema
 * (JSON Schema 2020-12, formats checked, undocumented fields refused).
 */
export function responseChecker(doc: OpenApiDoc) {
  const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  addFormats.default(ajv);
  const components = closeObjects(doc.components?.schemas ?? {}) as Record<string, unknown>;
  // Problem bodies may carry extension members (RFC 9457), e.g. readiness `checks`.
  components.Problem = doc.components?.schemas?.Problem;
  ajv.addSchema({
    $id: 'doc',
    components: { schemas: components },
    paths: closeObjects(doc.paths),
  });
  const compiled = new Map<string, ValidateFunction>();

  return (method: string, path: string, res: Answer): void => {
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${path} is not in the document`);
    const status = String(res.status);
    const documented = op.responses[status];
    if (!documented)
      throw new Error(
        `${method} ${path} answered ${status}, not documented (${Object.keys(op.responses).join(', ')}): ${res.text.slice(0, 300)}`,
      );
    const header = res.headers['content-type'];
    const contentType = typeof header === 'string' ? header.split(';')[0] : undefined;
    const types = Object.keys(documented.content ?? {});
    if (types.length === 0) {
      if (res.text) throw new Error(`${method} ${path} ${status}: documented without a body`);
      return;
    }
    if (!contentType || !types.includes(contentType))
      throw new Error(
        `${method} ${path} ${status}: Content-Type ${String(contentType)}, documented ${types.join(', ')}`,
      );
    const ref = `doc#/${pointer('paths', path, method.toLowerCase(), 'responses', status, 'content', contentType, 'schema')}`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    const body: unknown = contentType.endsWith('json') ? res.body : res.text;
    if (!validate(body))
      throw new Error(
        `${method} ${path} ${status} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`,
      );
  };
}

/**
 * Drives documented operations of `app` and checks every answer against the document (`check`,
 * known once the document is read) before the test reads it; `exercised` records `METHOD /path`
 * of every operation driven, with the statuses seen.
 */
export function operationDriver(app: Express, check: () => ReturnType<typeof responseChecker>) {
  const exercised = new Map<string, Set<number>>();

  /** A request to an operation (`path` in OpenAPI syntax, `{id}` filled from `params`). */
  async function call(
    method: 'get' | 'post' | 'patch' | 'put' | 'delete',
    path: string,
    opts: {
      params?: Record<string, string>;
      user?: TestUser;
      query?: Record<string, string | number>;
      body?: object;
      headers?: Record<string, string>;
      expect: number;
    },
  ): Promise<Response> {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => opts.params?.[name] ?? '');
    let req = request(app)[method](url);
    if (opts.user) req = req.set(opts.user.auth);
    if (opts.headers) req = req.set(opts.headers);
    if (opts.query) req = req.query(opts.query);
    const res = await (opts.body ? req.send(opts.body) : req);
    expect(res.status, `${method} ${url}: ${res.text.slice(0, 300)}`).toBe(opts.expect);
    check()(method, path, res);
    const key = `${method.toUpperCase()} ${path}`;
    exercised.set(key, (exercised.get(key) ?? new Set()).add(res.status));
    return res;
  }

  /** Submits on a practice route and long-polls the session until the worker has scored it. */
  async function submitAndComplete(user: TestUser, path: string, body: object) {
    const accepted = await call('post', path, {
      user,
      headers: { 'Idempotency-Key': randomUUID() },
      body,
      expect: 202,
    });
    const id = (accepted.body as { sessionId: string }).sessionId;
    for (let i = 0; i < 20; i++) {
      const res = await call('get', '/v1/practice/sessions/{id}', {
        params: { id },
        user,
        query: { waitMs: 5000 },
        expect: 200,
      });
      const status = (res.body as { status: string }).status;
      if (status === 'COMPLETED') return res;
      expect(status).not.toBe('FAILED');
    }
    throw new Error(`session ${id} did not complete`);
  }

  return { call, submitAndComplete, exercised };
}
