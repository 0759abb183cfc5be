/** Socket errors: the server is not there, or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
/** SQLSTATEs of a server that is shutting down, starting, or out of connections (class 08 is matched apart). */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
/** What pg, pg-pool and PGlite say without a code when the connection is gone or closed. */
const CLOSED_MESSAGES = /Connection terminated|Client has encountered a connection error|Cannot use a pool after calling end|timeout exceeded when trying to connect|PGlite is closed/i;

/**
 * Whether an error means the database cannot be reached right now (refused or dropped connection,
 * server shutting down or starting, a closed pool or PGlite), as opposed to a bad query or an
 * HTTP call to another service that failed. Follows `cause` (Drizzle wraps driver errors) and
 * `AggregateError.errors` (one per address tried).
 *
 * @example
 * if (isDatabaseUnavailable(error)) res.status(503).set('Retry-After', '5');
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { name, code, message, cause, errors } = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  // fetch() (undici) reports a refused or dropped connection the same way, but to another service.
  if (name === 'TypeError' && message === 'fetch failed') return false;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof message === 'string' && CLOSED_MESSAGES.test(message)) return true;
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
