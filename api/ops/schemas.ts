import { z } from 'zod';

/** GET /v1/openapi.json: an OpenAPI 3.1 document (its own contents are not restated here). */
export const OpenApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'OpenApiDocument' });

/** GET /metrics: the Prometheus text exposition format. */
export const MetricsText = z.string().meta({ description: 'Prometheus text format 0.0.4' });
