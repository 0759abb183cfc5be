import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AccessDeniedError, ConflictError, MalformedInputError, NotFoundError, UnavailableError, ValidationError, ZhiliaoError } from '../../core/index.js';
import { isDatabaseUnavailable } from '../../models/index.js';
import type { Metrics } from '../observability/index.js';

/** How long a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
/** While the database is unreachable, one log line per this many ms, counting the requests in between. */
export const DATABASE_DOWN_LOG_INTERVAL_MS = 10_000;

/** An error an HTTP handler throws to answer with a given status. */
export class HttpError extends ZhiliaoError {
  constructor(readonly status: number, code: string, message: string, details?: unknown) {
    super(code, message, details);
  }
}

/** Every error body has this one shape: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function statusOf(error: ZhiliaoError): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof MalformedInputError) return 400;
  if (error instanceof ValidationError) return 422;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof AccessDeniedError) return 403;
  if (error instanceof UnavailableError) return 503;
  return 400;
}

/**
 * The one place where errors become HTTP answers. Expected errors keep their message; a database
 * that cannot be reached is a 503 with `Retry-After`, logged at most once per
 * {@link DATABASE_DOWN_LOG_INTERVAL_MS} with the count of requests not logged (an outage must not
 * flood the log); anything else is logged with its stack and answered with a generic 500 that
 * leaks nothing.
 */
export function errorHandler(metrics: Metrics, nowMs: () => number = Date.now): ErrorRequestHandler {
  let lastOutageLogMs = -Infinity;
  let unloggedOutageErrors = 0;
  return (error: unknown, req, res, _next) => {
    let status = 500;
    let body: ErrorBody;
    const parserError = error as { type?: string; status?: number; limit?: number };
    if (isDatabaseUnavailable(error)) {
      status = 503;
      body = { error: { code: 'database_unavailable', message: `The database cannot be reached right now; retry in ${DATABASE_RETRY_AFTER_SECONDS} s.` } };
      if (!res.headersSent) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      if (nowMs() - lastOutageLogMs >= DATABASE_DOWN_LOG_INTERVAL_MS) {
        req.log?.error({ err: error, unloggedSinceLast: unloggedOutageErrors }, 'database unavailable; answering 503 (logged once per 10 s)');
        lastOutageLogMs = nowMs();
        unloggedOutageErrors = 0;
      } else {
        unloggedOutageErrors += 1;
      }
    } else if (error instanceof ZhiliaoError) {
      status = statusOf(error);
      body = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
    } else if (error instanceof ZodError) {
      status = 400;
      body = {
        error: {
          code: 'invalid_request',
          message: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
          details: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      };
    } else if (parserError.type === 'entity.parse.failed') {
      status = 400;
      body = { error: { code: 'malformed_json', message: 'The request body is not valid JSON.' } };
    } else if (parserError.type === 'entity.too.large') {
      status = 413;
      body = { error: { code: 'body_too_large', message: `The request body is larger than ${parserError.limit} bytes.` } };
    } else if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      status = parserError.status;
      body = { error: { code: 'bad_request', message: (error as Error).message } };
    } else {
      req.log?.error({ err: error }, 'unhandled error');
      body = { error: { code: 'internal_error', message: 'Something went wrong on our side; the request id in X-Request-Id helps us find it.' } };
    }
    metrics.errors.inc({ source: 'http', code: body.error.code });
    if (res.headersSent) return;
    res.status(status).json(body);
  };
}

/** 404 for routes that do not exist, in the same error shape. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'route_not_found', message: `No route for ${req.method} ${req.path}.` } } satisfies ErrorBody);
};
