import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { isAccountGone } from '../../shared/account-gone.js';
import { isDatabaseUnavailable } from '../../shared/db-unavailable.js';
import { AppError } from '../../shared/errors.js';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
  /** Extension members (RFC 9457 §3.2), e.g. readiness `checks`. */
  extra?: Record<string, unknown>;
}

/** Writes an RFC 9457 problem+json response with the stable `code` of API.md. */
export function sendProblem(res: Response, problem: Problem): void {
  const slug = problem.code.toLowerCase().replace(/_/g, '-');
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      ok: false,
      type: `https://socialgym.dev/problems/${slug}`,
      title: TITLES[problem.status] ?? 'Error',
      status: problem.status,
      code: problem.code,
      detail: problem.detail,
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...problem.extra,
      requestId: res.locals.requestId as string | undefined,
    });
}

/** Turns a zod error into the `errors` list: one entry per bad field. */
export function zodErrors(error: z.ZodError, prefix: string[] = []): Problem['errors'] & object {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.') || '(root)',
    message: issue.message,
  }));
}

export const notFoundRoute: RequestHandler = (req, res) => {
  sendProblem(res, {
    status: 404,
    code: 'ROUTE_NOT_FOUND',
    detail: `No route for ${req.method} ${req.path}`,
  });
};

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

/** How long a client should wait before retrying while the database is unreachable. */
const DATABASE_RETRY_AFTER_SEC = 5;

/** The one error handler: AppError and zod errors map to problems; anything else is a logged 500. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (err instanceof AppError) {
    for (const [name, value] of Object.entries(err.details?.headers ?? {}))
      res.setHeader(name, value);
    sendProblem(res, {
      status: err.status,
      code: err.code,
      detail: err.message,
      ...(err.details?.errors ? { errors: err.details.errors } : {}),
    });
    return;
  }
  if (err instanceof z.ZodError) {
    const errors = zodErrors(err);
    sendProblem(res, {
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    });
    return;
  }
  const parserError = err as BodyParserError;
  if (parserError.type === 'entity.parse.failed') {
    sendProblem(res, { status: 400, code: 'MALFORMED_JSON', detail: 'The body is not valid JSON' });
    return;
  }
  if (parserError.type === 'entity.verify.failed') {
    sendProblem(res, {
      status: 400,
      code: 'INVALID_CHARACTERS',
      detail: 'Text must not contain NUL (\\u0000) characters',
    });
    return;
  }
  if (parserError.type === 'entity.too.large') {
    sendProblem(res, { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The body exceeds 1 MiB' });
    return;
  }
  if (parserError.type === 'encoding.unsupported' || parserError.type === 'charset.unsupported') {
    sendProblem(res, { status: 415, code: 'UNSUPPORTED_ENCODING', detail: 'Send UTF-8 JSON' });
    return;
  }
  // Anything else Express or its body parser refused with a 4xx (an undecodable gzip body, a
  // malformed %-escape in the path, a client that aborted mid-body): the request's fault, so no
  // stack trace at error level for anyone to flood the logs with.
  const status = parserError.status ?? parserError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    req.log.warn({ type: parserError.type, status, message: String(err) }, 'malformed request');
    sendProblem(res, {
      status: 400,
      code: 'MALFORMED_REQUEST',
      detail: 'The request could not be decoded',
    });
    return;
  }
  if (isAccountGone(err)) {
    sendProblem(res, {
      status: 401,
      code: 'AUTH_INVALID',
      detail: 'Unknown user',
    });
    return;
  }
  if (isDatabaseUnavailable(err)) {
    req.log.warn({ message: (err as Error).message.slice(0, 300) }, 'database unavailable');
    res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SEC));
    sendProblem(res, {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      detail: 'The service is temporarily unavailable; try again shortly',
    });
    return;
  }
  req.log.error({ err }, 'unhandled error');
  sendProblem(res, { status: 500, code: 'INTERNAL', detail: 'Something went wrong on our side' });
};
