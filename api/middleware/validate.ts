import type { RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { zodErrors } from './problem.js';

interface Schemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

type Parsed<S extends Schemas> = {
  [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never;
};

/**
 * Validates body, query and params with zod and stores the parsed values in `res.locals.input`
 * (Express 5 forbids reassigning `req.query`). Every bad field is reported at once.
 */
export function validate(schemas: Schemas): RequestHandler {
  return (req, res, next) => {
    const input: Record<string, unknown> = {};
    const errors: { path: string; message: string }[] = [];
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const raw: unknown = part === 'body' ? (req.body ?? {}) : req[part];
      const result = schema.safeParse(raw);
      if (result.success) input[part] = result.data;
      else errors.push(...zodErrors(result.error, part === 'body' ? [] : [part]));
    }
    if (errors.length > 0) {
      const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      next(new AppError('VALIDATION_FAILED', 400, detail, { errors }));
      return;
    }
    res.locals.input = input;
    next();
  };
}

/** The values `validate(schemas)` parsed, typed by the same schemas. */
export function inputOf<S extends Schemas>(res: Response, _schemas: S): Parsed<S> {
  return res.locals.input as Parsed<S>;
}
