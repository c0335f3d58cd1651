import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { OPERATIONS } from './operations.js';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. Response
 * bodies are described in words here and in API.md; errors share one problem+json schema.
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

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const op of OPERATIONS) {
    const responses: Record<number, ResponseConfig> = {};
    for (const [status, description] of Object.entries(op.ok))
      responses[Number(status)] = { description, ...(op.tokens ? { headers: noStore } : {}) };
    for (const status of op.errors ?? []) {
      responses[status] = {
        description: 'Problem details',
        content: { 'application/problem+json': { schema: Problem } },
      };
    }
    registry.registerPath({
      method: op.method,
      path: op.path,
      summary: op.summary,
      ...(op.auth ? { security: [{ [bearer.name]: [] }] } : {}),
      request: {
        ...(op.body
          ? {
              body: {
                content: {
                  'application/json': { schema: op.body },
                  ...(op.form ? { 'multipart/form-data': { schema: op.form } } : {}),
                },
                required: true,
              },
            }
          : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.params ? { params: op.params } : {}),
        ...(op.idempotent ? { headers: IdempotencyHeader } : {}),
      },
      responses,
    });
  }
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'SocialGym API',
      version: '1.0.0',
      description: 'See API.md for the full contract.',
    },
    servers: [{ url: '/' }],
  });
  return cached;
}
