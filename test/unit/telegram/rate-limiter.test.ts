import { RateLimiter, TELEGRAM_RATE_LIMITS } from '../../../adapters/telegram/index.js';

describe('RateLimiter', () => {
  it('spaces one private chat to 1 message per second', () => {
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS);
    const times = [0, 0, 0].map(() => limiter.reserve('42', 'private', 0));
    expect(times).toEqual([0, 1000, 2000]);
  });

  it('keeps a group to 20 messages per minute, one every 3 s', () => {
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS);
    const times = Array.from({ length: 45 }, () => limiter.reserve('-100', 'group', 0));
    expect(times.slice(0, 3)).toEqual([0, 3000, 6000]);
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(20);
  });

  it('keeps all chats together within about 30 messages per second', () => {
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS);
    const times = Array.from({ length: 120 }, (_, i) => limiter.reserve(`chat-${i}`, 'private', 0));
    // One every 1000/30 ms: no 1-second window holds more than 30.
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 1000 - 1e-6).length).toBeLessThanOrEqual(30);
    expect(Math.max(...times)).toBeCloseTo((119 * 1000) / 30, 5);
  });

  it('refills with time: a chat that waited is served at once', () => {
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS);
    expect(limiter.reserve('42', 'private', 10_000)).toBe(10_000);
    expect(limiter.reserve('42', 'private', 12_500)).toBe(12_500);
  });

  it('takes lifted limits (benchmarks) and refuses nonsense', () => {
    const fast = new RateLimiter({ globalPerSecond: 100_000, privateChatPerSecond: 1000, groupPerMinute: 1000 });
    const times = Array.from({ length: 100 }, () => fast.reserve('42', 'private', 5));
    expect(Math.max(...times)).toBeLessThan(5 + 100);
    expect(new RateLimiter(TELEGRAM_RATE_LIMITS).reserve('42', 'private', 5)).toBe(5);
    expect(() => new RateLimiter({ globalPerSecond: 0, privateChatPerSecond: 1, groupPerMinute: 1 })).toThrow(RangeError);
  });
});
