import type { RequestHandler, Response } from 'express';
import type { Clock } from '../../../core/index.js';
import { HttpError } from '../errors.js';
import { verifySessionToken, type MpSession } from './session-token.js';

/** Requires `Authorization: Bearer <mini-program session token>`; puts the session on res.locals. */
export function requireMpSession(secret: string, clock: Clock): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([\w.-]{10,2000})$/.exec(header);
    if (!match) throw new HttpError(401, 'session_required', 'Log in first: POST /mp/login with a wx.login code, then send Authorization: Bearer <token>.');
    const result = verifySessionToken(secret, match[1]!, clock.now());
    if (!result.ok) {
      const message = result.reason === 'expired' ? 'The session has expired; log in again with a fresh wx.login code.' : 'The session token is not valid; log in again.';
      throw new HttpError(401, result.reason === 'expired' ? 'session_expired' : 'invalid_session', message);
    }
    res.locals['mpSession'] = result.session;
    next();
  };
}

/** The session `requireMpSession` verified for this request. */
export function sessionOf(res: Response): MpSession {
  const session = res.locals['mpSession'] as MpSession | undefined;
  if (!session) throw new Error('sessionOf called on a route without requireMpSession');
  return session;
}
