import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Guards a router with `Authorization: Bearer <token>`, compared in constant time; the holder acts
 * as an admin (`req.account`), so role checks behind it let it through.
 *
 * @example
 * app.use('/api', requireBearerToken(config.adminApiToken), apiRouter);
 */
export function requireBearerToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      next(new HttpError(401, 'unauthorized', 'Send the admin API token as "Authorization: Bearer <token>".'));
      return;
    }
    if (!timingSafeEqual(digest(match[1]!.trim()), expected)) {
      next(new HttpError(401, 'unauthorized', 'The bearer token is not valid.'));
      return;
    }
    req.account = { id: null, role: 'admin', actor: 'admin-api-token' };
    next();
  };
}
