import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'zl_session';

/** The value of one cookie from the Cookie header, or undefined. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Sets the session cookie: httpOnly, SameSite=Lax, path /, Secure in production. */
export function setSessionCookie(res: Response, token: string, expiresAt: Date, isSecure: boolean): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: isSecure, path: '/', expires: expiresAt });
}

export function clearSessionCookie(res: Response, isSecure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: isSecure, path: '/' });
}
