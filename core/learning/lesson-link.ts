import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a lesson link was refused. */
export type LessonLinkRefusal = 'malformed' | 'bad_signature' | 'expired' | 'forwarded';

export type LessonLinkCheck =
  | { ok: true; followerId: string; lessonId: string; expiresAt: Date }
  | { ok: false; reason: LessonLinkRefusal; followerId?: string; lessonId?: string };

const UUID_HEX = /^[0-9a-f]{32}$/;
const hexOf = (uuid: string) => uuid.replaceAll('-', '').toLowerCase();
const uuidOf = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

function signature(secret: string, followerHex: string, lessonHex: string, expSeconds: number): Buffer {
  return createHmac('sha256', secret).update(`lesson-link/v1|${followerHex}|${lessonHex}|${expSeconds}`).digest();
}

/**
 * A link token that opens one lesson for one follower until `expiresAt`: the follower, the lesson
 * and the expiry, signed with HMAC-SHA256. URL-safe, about 115 characters.
 *
 * @example
 * const token = signLessonLink(followerId, lessonId, new Date(clock.now().getTime() + 7 * 86_400_000), secret);
 * const url = `${publicBaseUrl}/learn/${token}`;
 */
export function signLessonLink(followerId: string, lessonId: string, expiresAt: Date, secret: string): string {
  const followerHex = hexOf(followerId);
  const lessonHex = hexOf(lessonId);
  if (!UUID_HEX.test(followerHex) || !UUID_HEX.test(lessonHex)) throw new Error('signLessonLink: followerId and lessonId must be UUIDs');
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${followerHex}${lessonHex}${exp.toString(36)}.${signature(secret, followerHex, lessonHex, exp).toString('base64url')}`;
}

/**
 * Checks a lesson link: our signature, not expired at `now`, and — when the viewer is known (a
 * mini-program session, a learner cookie) — issued to that viewer, so a forwarded link is refused.
 * The signature is checked before anything else is believed.
 *
 * @example
 * const check = verifyLessonLink(token, secret, clock.now(), viewerFollowerId);
 * if (!check.ok && check.reason === 'expired') res.status(410);
 */
export function verifyLessonLink(token: string, secret: string, now: Date, viewerFollowerId?: string): LessonLinkCheck {
  const match = /^([0-9a-f]{32})([0-9a-f]{32})([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, followerHex, lessonHex, exp36, sig] = match as unknown as [string, string, string, string, string];
  const exp = parseInt(exp36, 36);
  const expected = signature(secret, followerHex, lessonHex, exp);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  const followerId = uuidOf(followerHex);
  const lessonId = uuidOf(lessonHex);
  if (now.getTime() >= exp * 1000) return { ok: false, reason: 'expired', followerId, lessonId };
  if (viewerFollowerId !== undefined && hexOf(viewerFollowerId) !== followerHex) return { ok: false, reason: 'forwarded', followerId, lessonId };
  return { ok: true, followerId, lessonId, expiresAt: new Date(exp * 1000) };
}
