/** Telegram's documented limits; all configurable (benchmarks and tests lift them). */
export interface RateLimits {
  /** Messages per second across all chats (Telegram: about 30). */
  globalPerSecond: number;
  /** Messages per second to one private chat (Telegram: 1). */
  privateChatPerSecond: number;
  /** Messages per minute to one group (Telegram: 20). */
  groupPerMinute: number;
}

export const TELEGRAM_RATE_LIMITS: RateLimits = { globalPerSecond: 30, privateChatPerSecond: 1, groupPerMinute: 20 };

/**
 * One limit as a token bucket in GCRA form: `n` sends per `windowMs`, spaced evenly (burst 1), so
 * no sliding window ever holds more than `n` (+1 at its edge); a bucket that allowed bursts of `n`
 * would let up to 2n-1 through a window. State is one "theoretical arrival time" per bucket.
 */
class Bucket {
  private readonly intervalMs: number;
  private readonly toleranceMs = 0;
  private tatMs = 0;

  constructor(perWindow: number, windowMs: number) {
    this.intervalMs = windowMs / perWindow;
  }

  earliest(nowMs: number): number {
    return Math.max(nowMs, this.tatMs - this.toleranceMs);
  }

  take(atMs: number): void {
    this.tatMs = Math.max(this.tatMs, atMs) + this.intervalMs;
  }

  isIdle(nowMs: number): boolean {
    return this.tatMs <= nowMs;
  }
}

/**
 * Decides when each send may go so that the global, per-chat and per-group limits all hold.
 * `reserve` is synchronous and takes the time as an argument, so it is exact under concurrency
 * (reservations are handed out in call order) and unit-testable without waiting.
 *
 * @example
 * const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS);
 * const at = limiter.reserve('42', 'private', Date.now()); // wait until `at`, then send
 */
export class RateLimiter {
  private readonly global: Bucket;
  private readonly chats = new Map<string, Bucket>();
  private reservations = 0;

  constructor(private readonly limits: RateLimits) {
    for (const [name, value] of Object.entries(limits)) {
      if (!(value > 0)) throw new RangeError(`rate limit ${name} must be positive, got ${value}`);
    }
    this.global = new Bucket(limits.globalPerSecond, 1000);
  }

  /** Reserves a slot for one message to `chatKey` and returns the time (ms) at which it may be sent. */
  reserve(chatKey: string, chatKind: 'private' | 'group', nowMs: number): number {
    let chat = this.chats.get(chatKey);
    if (!chat) {
      chat = chatKind === 'group' ? new Bucket(this.limits.groupPerMinute, 60_000) : new Bucket(this.limits.privateChatPerSecond, 1000);
      this.chats.set(chatKey, chat);
    }
    const at = Math.max(this.global.earliest(nowMs), chat.earliest(nowMs));
    this.global.take(at);
    chat.take(at);
    if (++this.reservations % 1000 === 0) this.forgetIdle(nowMs);
    return at;
  }

  /** Chats whose buckets are full again carry no state worth keeping. */
  private forgetIdle(nowMs: number): void {
    for (const [key, bucket] of this.chats) if (bucket.isIdle(nowMs)) this.chats.delete(key);
  }

  get trackedChats(): number {
    return this.chats.size;
  }
}
