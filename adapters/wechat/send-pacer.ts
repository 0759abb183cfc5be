/**
 * Spaces one account's messages: at least `intervalMs` plus a random 0..`jitterMs` between two
 * sends, one at a time in arrival order, because bursts get personal WeChat accounts restricted.
 *
 * @example
 * const pacer = new SendPacer({ intervalMs: 3000, jitterMs: 1500 });
 * await pacer.run(() => contact.say('hi'));
 */
export class SendPacer {
  private tail: Promise<unknown> = Promise.resolve();
  private lastSentAtMs = 0;

  constructor(private readonly options: { intervalMs: number; jitterMs: number; random?: () => number; sleep?: (ms: number) => Promise<void> }) {}

  run<T>(send: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      const gapMs = this.options.intervalMs + Math.floor((this.options.random ?? Math.random)() * this.options.jitterMs);
      const waitMs = this.lastSentAtMs + gapMs - Date.now();
      if (waitMs > 0 && this.lastSentAtMs > 0) await (this.options.sleep ?? sleep)(waitMs);
      try {
        return await send();
      } finally {
        this.lastSentAtMs = Date.now();
      }
    });
    // A failed send must not stall the queue.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when everything queued so far has been sent (or failed). */
  async drain(): Promise<void> {
    await this.tail;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
