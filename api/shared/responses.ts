import { z } from 'zod';

/**
 * Response building blocks every module's `schemas.ts` uses: the success envelope, timestamps,
 * pages and the one problem+json body. The OpenAPI document describes responses with them and the
 * presenters (`views.ts`) are typed with them.
 */

/** An ISO 8601 UTC instant (`Date.prototype.toISOString`). */
export const Timestamp = z.iso.datetime().meta({ description: 'ISO 8601 UTC' });

/** A success body that carries nothing else. */
export const OkResponse = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' });
export type OkResponse = z.infer<typeof OkResponse>;

/** The fields of a success body: `ok: true` first, then the documented fields. */
export const okWith = <T extends z.ZodRawShape>(shape: T) =>
  z.object({ ok: z.literal(true), ...shape });

/** A keyset page: `items`, and `nextCursor` (null at the end). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  okWith({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as ?cursor=; null at the end' }),
  });

/** RFC 9457 problem details as every error answers them (API.md, Conventions). */
export const Problem = z
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

/**
 * `schema | null` for a schema that is a named component: `anyOf [$ref, null]` in the document
 * (zod-to-openapi renders `.nullable()` on a reference as an `allOf` that null cannot pass).
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);
