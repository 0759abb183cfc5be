/**
 * Times (ms) kept sorted, newest last, at most `cap` of them: enough to answer "how many within
 * W of this one" for the thresholds admins can set. Events usually arrive in order, so inserting
 * is a push; a late one is placed by binary search.
 */
export class TimeWindow {
  private readonly times: number[] = [];

  constructor(private readonly cap = 256) {}

  /** Adds a time; returns how many times fall in the window of `windowMs` ending or starting at it (the larger). */
  add(atMs: number, windowMs: number): number {
    const times = this.times;
    if (times.length > 0 && times[times.length - 1]! > atMs) times.splice(this.firstAfter(atMs), 0, atMs);
    else times.push(atMs);
    if (times.length > this.cap) times.shift();
    return Math.max(this.countBetween(atMs - windowMs, atMs), this.countBetween(atMs, atMs + windowMs));
  }

  /** How many times fall in [from, to]: two binary searches, whatever the order events arrived in. */
  countBetween(fromMs: number, toMs: number): number {
    return toMs < fromMs ? 0 : this.firstAfter(toMs) - this.firstAtOrAfter(fromMs);
  }

  /** Index of the first time > `ms`. */
  private firstAfter(ms: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first time >= `ms`. */
  private firstAtOrAfter(ms: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get size(): number {
    return this.times.length;
  }

  get newestMs(): number | undefined {
    return this.times.at(-1);
  }
}
