import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { readCookie } from '../auth/cookies.js';

export const LEARNER_COOKIE = 'zl_learner';
const YEAR_MS = 365 * 86_400_000;

const mac = (secret: string, followerId: string) => createHmac('sha256', secret).update(`learner/v1|${followerId}`).digest('base64url');

/**
 * The follower this browser belongs to: set once the viewer proved, with the learner code from
 * their own chat, that they are the learner a link was sent to; signed so it cannot be edited. A
 * browser holding one learner's cookie is refused another learner's links (they were forwarded).
 */
export function learnerOf(req: Request, secret: string): string | undefined {
  const value = readCookie(req, LEARNER_COOKIE);
  const match = value ? /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
  if (!match) return undefined;
  const expected = Buffer.from(mac(secret, match[1]!));
  const given = Buffer.from(match[2]!);
  return given.length === expected.length && timingSafeEqual(given, expected) ? match[1] : undefined;
}

export function setLearnerCookie(res: Response, secret: string, followerId: string, now: Date, isSecure: boolean): void {
  res.cookie(LEARNER_COOKIE, `${followerId}.${mac(secret, followerId)}`, { httpOnly: true, sameSite: 'lax', secure: isSecure, path: '/learn', expires: new Date(now.getTime() + YEAR_MS) });
}
