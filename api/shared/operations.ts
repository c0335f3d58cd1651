import type { IRouter, RequestHandler } from 'express';
import type { z } from 'zod';

/** Every problem `code` a /v1 route can answer, with its HTTP status (API.md). */
export const PROBLEMS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  MALFORMED_REQUEST: 400,
  INVALID_CHARACTERS: 400,
  INVALID_CURSOR: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  PRACTICE_NO_USER_MESSAGE: 400,
  PERSONA_NOT_FOUND: 400,
  TEMPLATE_NOT_FOUND: 400,
  TEMPLATE_LIMIT_EXCEEDED: 400,
  PREFS_EMPTY: 400,
  RESET_TOKEN_INVALID: 400,
  AUDIO_FORMAT_UNSUPPORTED: 400,
  AUDIO_UNREADABLE: 400,
  AUDIO_TOO_LONG: 400,
  AUTH_INVALID: 401,
  AUTH_REVOKED: 401,
  AUTH_REFRESH_INVALID: 401,
  AUTH_REFRESH_EXPIRED: 401,
  AUTH_REFRESH_REUSED: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_ENCODING: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  OVERLOADED: 503,
  TRANSCRIPTION_UNAVAILABLE: 503,
  NOT_READY: 503,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

/** What `requireAuth` answers; implied by `auth: true`. */
export const AUTH_PROBLEMS: readonly ProblemCode[] = ['AUTH_INVALID', 'AUTH_REVOKED'];
/** What the JSON body parser answers before any route runs; implied by a `body` schema. */
export const BODY_PROBLEMS: readonly ProblemCode[] = [
  'MALFORMED_JSON',
  'INVALID_CHARACTERS',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_ENCODING',
];
/** What the idempotency gate and the key claim answer; implied by `idempotent: true`. */
export const IDEMPOTENCY_PROBLEMS: readonly ProblemCode[] = [
  'IDEMPOTENCY_KEY_REQUIRED',
  'IDEMPOTENCY_KEY_REUSED',
];

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** A response header the document describes (e.g. `Location`, `Content-Disposition`). */
export interface HeaderDoc {
  description: string;
}

/**
 * A success response: a body schema (the presenter of the module is typed with the same schema,
 * so the document and the handlers cannot drift), or none for a bodiless status (204).
 */
export type Success = {
  description: string;
  headers?: Record<string, HeaderDoc>;
} & (
  | {
      /** The body; the zod response schema in the module's `schemas.ts`. */
      schema: z.ZodType;
      /** `application/json` unless given (e.g. Prometheus text). */
      contentType?: string;
    }
  | { schema?: never; noContent: true }
);

/** One route as declared by its router: mounted with Express and described in OpenAPI. */
export interface Operation {
  method: Method;
  /** Express syntax, relative to the router (`/sessions/:id`). */
  path: string;
  summary: string;
  /** Behind `requireAuth` (the router mounts it; this documents it and its problems). */
  auth?: boolean;
  /** The schemas `validate()` uses (documentation-only schemas, e.g. params parsed by hand, too). */
  request?: { body?: z.ZodType; query?: z.ZodObject; params?: z.ZodObject };
  /** A multipart/form-data alternative to the JSON body (file parts as binary strings). */
  form?: z.ZodType;
  /** Requires `Idempotency-Key`. */
  idempotent?: boolean;
  /** Success carries tokens: sent with `Cache-Control: no-store`. */
  tokens?: boolean;
  /** Every success status with its body schema (or `noContent`); checked by `route()`. */
  ok: Partial<Record<200 | 201 | 202 | 204, Success>>;
  /** Problem codes the handlers and route middleware answer, beyond those the flags imply. */
  problems?: ProblemCode[];
  /** `false`: answers without Postgres, so never 503 SERVICE_UNAVAILABLE (liveness, the document). */
  database?: false;
}

/** What any route can answer: an undecodable request, and the generic 500. */
const ANY_ROUTE_PROBLEMS: readonly ProblemCode[] = ['MALFORMED_REQUEST', 'INTERNAL'];

const declared = new WeakMap<object, Operation[]>();

/**
 * Refuses an operation whose success responses are not all described: at least one, each with a
 * body schema, or `noContent` on a 204 (and only there). A typed client is generated from these.
 */
export function assertDescribed(op: Pick<Operation, 'method' | 'path' | 'ok'>): void {
  const where = `${op.method.toUpperCase()} ${op.path}`;
  const entries = Object.entries(op.ok) as [string, Success | undefined][];
  if (entries.length === 0) throw new Error(`${where}: no success response declared`);
  for (const [status, success] of entries) {
    if (typeof success !== 'object' || typeof success.description !== 'string')
      throw new Error(`${where} ${status}: a success response needs { description, schema }`);
    const bodiless = 'noContent' in success && success.noContent;
    if (status === '204' ? !bodiless : !success.schema)
      throw new Error(
        `${where} ${status}: ${status === '204' ? 'declare noContent' : 'no success body schema'}`,
      );
  }
}

/** Declares a route once: mounts its handlers on the router and records it for OpenAPI. */
export function route(router: IRouter, op: Operation, ...handlers: RequestHandler[]): void {
  assertDescribed(op);
  router[op.method](op.path, ...handlers);
  const ops = declared.get(router) ?? [];
  ops.push(op);
  declared.set(router, ops);
}

/** Mounts a router at `prefix` and adds its declared operations, with full paths, to `into`. */
export function mountDocumented(
  app: IRouter,
  prefix: string,
  router: IRouter,
  into: Operation[],
): void {
  app.use(prefix, router);
  for (const op of declared.get(router) ?? []) {
    const path = op.path === '/' ? prefix : `${prefix}${op.path}`;
    into.push({ ...op, path });
  }
}

/** Every problem code an operation can answer: the declared ones and those its flags imply. */
export function problemsOf(op: Operation): ProblemCode[] {
  const all = new Set<ProblemCode>([
    ...(op.auth ? AUTH_PROBLEMS : []),
    ...(op.request?.body ? BODY_PROBLEMS : []),
    ...(op.idempotent ? IDEMPOTENCY_PROBLEMS : []),
    ...(op.request?.body || op.request?.query ? (['VALIDATION_FAILED'] as const) : []),
    ...(op.problems ?? []),
    ...ANY_ROUTE_PROBLEMS,
    ...(op.database === false ? [] : (['SERVICE_UNAVAILABLE'] as const)),
  ]);
  return [...all];
}

/** Express `/sessions/:id` → OpenAPI `/sessions/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
