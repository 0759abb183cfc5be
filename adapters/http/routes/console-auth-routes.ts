import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { hashSecret, logIn, type LogInDeps } from '../../../core/index.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from '../auth/cookies.js';
import { principalOf } from '../auth/console-auth.js';
import { HttpError } from '../errors.js';

export const loginBody = z.object({
  email: z.string().min(3).max(200),
  password: z.string().min(1).max(200),
});

export interface AuthRoutesDeps extends LogInDeps {
  /** The console auth middleware, for the routes that need a caller. */
  auth: RequestHandler;
  isSecureCookie: boolean;
}

/**
 * `/api/auth`: `POST /login` (public; sets the session cookie, returns the CSRF token),
 * `POST /logout`, `GET /me`, `GET /csrf`.
 */
export function createAuthRouter(deps: AuthRoutesDeps): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const body = loginBody.parse(req.body);
    const result = await logIn(deps, { ...body, ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null });
    if (!result.ok && result.reason === 'rate_limited') {
      res.setHeader('Retry-After', String(result.retryAfterSec));
      throw new HttpError(429, 'too_many_attempts', `Too many failed logins for this email from your address; try again in ${Math.ceil(result.retryAfterSec / 60)} minutes.`);
    }
    if (!result.ok) throw new HttpError(401, 'invalid_credentials', 'The email or password is wrong.');
    setSessionCookie(res, result.sessionToken, result.expiresAt, deps.isSecureCookie);
    res.json({ account: result.account, csrfToken: result.csrfToken, expiresAt: result.expiresAt });
  });

  router.post('/logout', deps.auth, async (req, res) => {
    const principal = principalOf(req);
    const token = readCookie(req, SESSION_COOKIE);
    if (token) {
      await deps.uow.run(async (r) => {
        await r.sessions.deleteByTokenHash(hashSecret(token));
        await r.audit.record({ actor: principal.actor, action: 'auth.logout', subjectType: 'account', subjectId: principal.id, details: {} });
      });
    }
    clearSessionCookie(res, deps.isSecureCookie);
    res.status(204).end();
  });

  router.get('/me', deps.auth, async (req, res) => {
    const principal = principalOf(req);
    const account = principal.id ? await deps.uow.run((r) => r.accounts.findById(principal.id!)) : null;
    res.json({ principal: { id: principal.id, role: principal.role }, account });
  });

  router.get('/csrf', deps.auth, (req, res) => {
    res.json({ csrfToken: req.csrfToken ?? null });
  });

  return router;
}
