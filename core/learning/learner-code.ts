import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a learner code from the chat is good for (it is accepted in this window and the one before). */
export const LEARNER_CODE_WINDOW_MS = 10 * 60_000;

function codeFor(secret: string, followerId: string, window: number): string {
  const digest = createHmac('sha256', secret).update(`learner-code/v1|${followerId.toLowerCase()}|${window}`).digest();
  return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

/**
 * The 6-digit code a follower asks the bot for ("验证码", "code") to prove, in a browser, that a
 * lesson link is theirs: only the chat of that follower is told it, so a forwarded link cannot be
 * opened by whoever it was forwarded to. Derived (HMAC) from the follower and a 10-minute window;
 * nothing is stored.
 *
 * @example
 * const code = learnerCode(secret, followerId, clock.now()); // '042917'
 * isLearnerCode(secret, followerId, code, clock.now()); // true for 10–20 minutes
 */
export function learnerCode(secret: string, followerId: string, now: Date): string {
  return codeFor(secret, followerId, Math.floor(now.getTime() / LEARNER_CODE_WINDOW_MS));
}

/** Whether `code` is this follower's code of the current or the previous window. */
export function isLearnerCode(secret: string, followerId: string, code: string, now: Date): boolean {
  const given = Buffer.from(code.replace(/\s+/g, ''));
  const window = Math.floor(now.getTime() / LEARNER_CODE_WINDOW_MS);
  return [window, window - 1].some((w) => {
    const expected = Buffer.from(codeFor(secret, followerId, w));
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const CODE_REQUEST = /^\s*(?:\/code|验证码|学习验证码|要验证码|code|login code|verification code)\s*[。.!！?？]?\s*$/i;

/**
 * Whether a chat message asks for the learner code.
 *
 * @example
 * isLearnerCodeRequest('验证码'); // true
 * isLearnerCodeRequest('What does the code lesson cover?'); // false
 */
export function isLearnerCodeRequest(text: string): boolean {
  return CODE_REQUEST.test(text);
}
