import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a mini-program session token carries. Never the WeChat `session_key`. */
export interface MpSession {
  /** Session id, for per-session rate limits. */
  sid: string;
  followerId: string;
  openId: string;
  /** Issued and expiry times, Unix seconds. */
  iat: number;
  exp: number;
}

const sessionSchema = z.object({
  sid: z.string().min(8).max(64),
  followerId: z.uuid(),
  openId: z.string().min(1).max(128),
  iat: z.number().int(),
  exp: z.number().int(),
});

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`mp-session.v1.${payload}`).digest();

/**
 * Issues our own mini-program session token: `v1.<base64url JSON>.<base64url HMAC-SHA256>`.
 *
 * @example
 * const { token, session } = issueSessionToken(secret, { followerId, openId }, new Date(), 3600);
 */
export function issueSessionToken(secret: string, who: { followerId: string; openId: string }, now: Date, ttlSeconds: number): { token: string; session: MpSession } {
  const iat = Math.floor(now.getTime() / 1000);
  const session: MpSession = { sid: randomBytes(12).toString('base64url'), followerId: who.followerId, openId: who.openId, iat, exp: iat + ttlSeconds };
  const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
  return { token: `v1.${payload}.${mac(secret, payload).toString('base64url')}`, session };
}

export type VerifyResult = { ok: true; session: MpSession } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/**
 * Checks a token's signature (constant time) and expiry.
 *
 * @example
 * const result = verifySessionToken(secret, token, new Date());
 */
export function verifySessionToken(secret: string, token: string, now: Date): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1' || !parts[1] || !parts[2]) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(parts[2], 'base64url');
  const expected = mac(secret, parts[1]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = sessionSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.exp <= Math.floor(now.getTime() / 1000)) return { ok: false, reason: 'expired' };
  return { ok: true, session: parsed.data };
}
