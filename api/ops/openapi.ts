import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  PROBLEMS,
  openApiPath,
  problemsOf,
  type Operation,
  type ProblemCode,
} from '../shared/operations.js';

/**
 * The OpenAPI 3.1 document, generated from the operations the routers declare with `route()` (the
 * same zod schemas that validate requests). Response bodies are described in words here and in
 * API.md; errors share one problem+json schema, narrowed per status to the codes the route answers.
 */

const Problem = z
  .object({
    ok: z.literal(false),
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().meta({ description: 'Stable UPPER_SNAKE error code' }),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  })
  .meta({ id: 'Problem' });

const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .meta({ description: 'Required; a UUID is recommended' }),
});

/** Responses carrying tokens are never stored by a cache. */
const noStore: ResponseConfig['headers'] = {
  'Cache-Control': { schema: { type: 'string', enum: ['no-store'] } },
};

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
    const responses: Record<number, ResponseConfig> = {};
    for (const [status, description] of Object.entries(op.ok))
      responses[Number(status)] = { description, ...(op.tokens ? { headers: noStore } : {}) };
    const byStatus = new Map<number, ProblemCode[]>();
    for (const code of problemsOf(op))
      byStatus.set(PROBLEMS[code], [...(byStatus.get(PROBLEMS[code]) ?? []), code]);
    for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[status] = {
        description: `Problem details: ${codes.join(', ')}`,
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
