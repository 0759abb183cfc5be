import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import {
  API_TOKEN_PREFIX,
  authenticateApiToken,
  authenticateSession,
  hasScope,
  type AccountRepositories,
  type Clock,
  type Principal,
  type Role,
} from '../../../core/index.js';
import { HttpError } from '../errors.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The authenticated caller, set by the console auth middleware. */
    account?: Principal;
    /** The CSRF token of the caller's session (cookie logins only). */
    csrfToken?: string;
  }
}

export interface ConsoleAuthDeps {
  repos: Pick<AccountRepositories, 'sessions' | 'accounts' | 'tokens'>;
  clock: Clock;
  /** The configured ADMIN_API_TOKEN (or the generated one); acts as an admin. */
  adminApiToken?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const digest = (value: string) => createHash('sha256').update(value).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * Guards admin routes. Accepts, in order: `Authorization: Bearer` with the admin API token or an
 * issued API token (`zl_…`); or the session cookie, plus the session's `X-CSRF-Token` header on
 * every state-changing request. Sets `req.account`; answers 401 without credentials and 403 when
 * the CSRF token is missing or wrong, or an issued token lacks the `read` scope (GET, HEAD,
 * OPTIONS) or the `write` scope (anything else). The `admin` scope is applied to the principal's
 * role when the token is authenticated.
 *
 * @example
 * createHttpApp({ ..., adminAuth: createConsoleAuth({ repos, clock, adminApiToken }) });
 */
export function createConsoleAuth(deps: ConsoleAuthDeps): RequestHandler {
  const adminToken = deps.adminApiToken;
  return async (req, _res, next) => {
    if (req.account) return next();
    const header = req.get('authorization');
    if (header) {
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match) return next(new HttpError(401, 'unauthorized', 'Send "Authorization: Bearer <token>" or log in.'));
      const token = match[1]!.trim();
      if (adminToken && sameSecret(token, adminToken)) {
        req.account = { id: null, role: 'admin', actor: 'admin-api-token' };
        return next();
      }
      const principal = token.startsWith(API_TOKEN_PREFIX) ? await authenticateApiToken(deps, token) : null;
      if (!principal) return next(new HttpError(401, 'unauthorized', 'The bearer token is not valid, revoked or expired.'));
      const needed = SAFE_METHODS.has(req.method) ? 'read' : 'write';
      if (!hasScope(principal, needed)) {
        return next(new HttpError(403, 'insufficient_scope', `This token lacks the "${needed}" scope; issue one with it (POST /api/tokens, "scopes").`));
      }
      req.account = principal;
      return next();
    }
    const cookie = readCookie(req, SESSION_COOKIE);
    if (!cookie) return next(new HttpError(401, 'unauthorized', 'Log in first (POST /api/auth/login) or send an API token.'));
    const session = await authenticateSession(deps, cookie);
    if (!session) return next(new HttpError(401, 'session_expired', 'Your session has expired or was ended; log in again.'));
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.get('x-csrf-token');
      if (!sent) return next(new HttpError(403, 'csrf_missing', 'Send the X-CSRF-Token header (GET /api/auth/csrf) with every change.'));
      if (!sameSecret(sent, session.csrfToken)) return next(new HttpError(403, 'csrf_invalid', 'The X-CSRF-Token header does not match this session.'));
    }
    req.account = session.principal;
    req.csrfToken = session.csrfToken;
    return next();
  };
}

/** The caller; throws 401 when a route runs without the console auth in front of it. */
export function principalOf(req: Request): Principal {
  if (!req.account) throw new HttpError(401, 'unauthorized', 'Log in first.');
  return req.account;
}

/** Lets only the given roles through; others get 403. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const principal = req.account;
    if (!principal) return next(new HttpError(401, 'unauthorized', 'Log in first.'));
    if (!roles.includes(principal.role)) return next(new HttpError(403, 'forbidden', `This needs the ${roles.join(' or ')} role; you are ${principal.role}.`));
    return next();
  };
}
