import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  PROBLEMS,
  assertDescribed,
  openApiPath,
  problemsOf,
  type Operation,
  type ProblemCode,
  type Success,
} from '../shared/operations.js';
import { Problem } from '../shared/responses.js';

/**
 * The OpenAPI 3.1 document, generated from the operations the routers declare with `route()`: the
 * same zod schemas validate requests and type the presenters that shape success bodies. Errors
 * share one problem+json schema (`Problem`), narrowed per status to the codes the route answers
 * there (an `enum` on `code`, so a generated client knows them; also listed in the description).
 */

const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .meta({ description: 'Required; a UUID is recommended' }),
});

/** Responses carrying tokens are never stored by a cache. */
const noStore = {
  'Cache-Control': { schema: { type: 'string' as const, enum: ['no-store'] } },
};

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'string' as const },
  },
};

/** A success response: its body schema under its content type, and its headers. */
function successResponse(success: Success, tokens: boolean): ResponseConfig {
  const headers: NonNullable<ResponseConfig['headers']> = {
    ...(tokens ? noStore : {}),
    ...Object.fromEntries(
      Object.entries(success.headers ?? {}).map(([name, h]) => [
        name,
        { description: h.description, schema: { type: 'string' as const } },
      ]),
    ),
  };
  return {
    description: success.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(success.schema
      ? {
          content: {
            [('contentType' in success && success.contentType) || 'application/json']: {
              schema: success.schema,
            },
          },
        }
      : {}),
  };
}

/** Operations declared more than once for one method and path (voice: multipart, then JSON). */
function merged(operations: readonly Operation[]): Operation[] {
  const byKey = new Map<string, Operation>();
  for (const op of operations) {
    const key = `${op.method} ${op.path}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, op);
      continue;
    }
    byKey.set(key, {
      ...seen,
      ...op,
      summary: seen.summary,
      auth: seen.auth === true || op.auth === true,
      idempotent: seen.idempotent === true || op.idempotent === true,
      request: { ...seen.request, ...op.request },
      ok: { ...seen.ok, ...op.ok },
      problems: [...new Set([...(seen.problems ?? []), ...(op.problems ?? [])])],
      ...(seen.form || op.form ? { form: seen.form ?? op.form } : {}),
    });
  }
  return [...byKey.values()];
}

/** Builds the document once per app, from the operations its routers declared. */
export function openApiDocument(operations: readonly Operation[]): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const op of merged(operations)) {
    assertDescribed(op);
    const responses: Record<number, ResponseConfig> = {};
    for (const [status, success] of Object.entries<Success | undefined>(op.ok))
      if (success) responses[Number(status)] = successResponse(success, op.tokens === true);
    const byStatus = new Map<number, ProblemCode[]>();
    for (const code of problemsOf(op))
      byStatus.set(PROBLEMS[code], [...(byStatus.get(PROBLEMS[code]) ?? []), code]);
    for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[status] = {
        description: `Problem details: ${codes.join(', ')}`,
        ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
        content: {
          'application/problem+json': {
            // allOf: the shared Problem, its code narrowed to what this route answers here.
            schema: z.intersection(
              Problem,
              z.object({ code: z.enum(codes as [ProblemCode, ...ProblemCode[]]) }),
            ),
          },
        },
      };
    }
    const body = op.request?.body;
    registry.registerPath({
      method: op.method,
      path: openApiPath(op.path),
      summary: op.summary,
      ...(op.auth ? { security: [{ [bearer.name]: [] }] } : {}),
      request: {
        ...(body
          ? {
              body: {
                content: {
                  'application/json': { schema: body },
                  ...(op.form ? { 'multipart/form-data': { schema: op.form } } : {}),
                },
                required: true,
              },
            }
          : {}),
        ...(op.request?.query ? { query: op.request.query } : {}),
        ...(op.request?.params ? { params: op.request.params } : {}),
        ...(op.idempotent ? { headers: IdempotencyHeader } : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'SocialGym API',
      version: '1.0.0',
      description: 'See API.md for the full contract.',
    },
    servers: [{ url: '/' }],
  });
}
