import type { RequestHandler } from 'express';
import { stdSerializers, type Logger } from 'pino';
import { requestId } from './request-id.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** X-Request-Id of this request (echoed or generated). */
    id: string;
    /** The request's logger: bindings req, requestId and, behind requireAuth, userId. */
    log: Logger;
  }
}

/**
 * Request logging as pino-http did it — one "request completed" line per answer at info ("request
 * errored", with the error, for a 5xx), bound to the serialised request and its id — but lazy: the child
 * logger (which serialises the request, headers redacted) is built only when something is
 * logged, so a request that logs nothing at the configured level costs no serialisation. Lines
 * logged after requireAuth carry the caller's userId. Health checks are not logged.
 */
export function requestLog(logger: Logger): RequestHandler {
  const base = logger.child(
    {},
    { serializers: { req: stdSerializers.req, res: stdSerializers.res, err: stdSerializers.err } },
  );
  return (req, res, next) => {
    const id = requestId(req, res);
    req.id = id;
    res.locals.requestId = id;
    // Built on first use, and again once requireAuth has named the caller.
    let log: Logger | undefined;
    let withUser = false;
    Object.defineProperty(req, 'log', {
      configurable: true,
      enumerable: false,
      get: () => {
        const principal = res.locals.principal as { id: string } | undefined;
        if (!log || (principal && !withUser)) {
          withUser = principal !== undefined;
          log = base.child(
            principal ? { req, requestId: id, userId: principal.id } : { req, requestId: id },
          );
        }
        return log;
      },
    });
    if (req.url.startsWith('/v1/health')) {
      next();
      return;
    }
    const startedAt = Date.now();
    const done = () => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      const err = (res as { err?: unknown }).err;
      const failed = err !== undefined || res.statusCode >= 500;
      // At info like pino-http: an unexpected error is logged at error by the error handler, and
      // an expected 503 (database unreachable, overload) must not page anyone.
      if (!base.isLevelEnabled('info')) return;
      const line = { res, responseTime: Date.now() - startedAt };
      if (failed) {
        const error = err ?? new Error(`failed with status code ${String(res.statusCode)}`);
        req.log.info({ ...line, err: error }, 'request errored');
      } else {
        req.log.info(line, 'request completed');
      }
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
