import type { Clock } from '../../../core/index.js';

/**
 * A fixed-window counter per key (a session id): at most `limit` units per `windowMs`. In memory,
 * so per process; behind a load balancer each instance enforces its own share.
 *
 * @example
 * const limiter = new WindowRateLimiter(clock, 120, 60_000);
 * const verdict = limiter.take(session.sid, events.length); // { ok: false, retryAfterMs } when over
 */
export class WindowRateLimiter {
  private readonly windows = new Map<string, { startMs: number; used: number }>();

  constructor(private readonly clock: Clock, private readonly limit: number, private readonly windowMs: number) {}

  take(key: string, units: number): { ok: true; remaining: number } | { ok: false; retryAfterMs: number } {
    const nowMs = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || nowMs - window.startMs >= this.windowMs) {
      window = { startMs: nowMs, used: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.evictExpired(nowMs);
    }
    if (window.used + units > this.limit) return { ok: false, retryAfterMs: window.startMs + this.windowMs - nowMs };
    window.used += units;
    return { ok: true, remaining: this.limit - window.used };
  }

  private evictExpired(nowMs: number): void {
    for (const [key, window] of this.windows) if (nowMs - window.startMs >= this.windowMs) this.windows.delete(key);
  }
}
