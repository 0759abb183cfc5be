import type { Logger } from '../ports/runtime.js';
import type { RecommenderExposure, RecommenderExposureStore } from './recommender-experiment-ports.js';

export interface ExposureLogOptions {
  /** How long a recorded exposure waits for company before it is written; 1 s by default. */
  flushMs?: number;
  /** Written at once when this many wait; 500 by default. */
  maxBatch?: number;
  /** Kept for a retry while the database fails; beyond this the oldest are dropped (and counted). 10 000 by default. */
  maxPending?: number;
  /** Called with how many exposures a failed write left waiting, and how many were dropped. */
  onFailed?: (waiting: number, dropped: number) => void;
}

/**
 * Writes experiment exposures off the serving path: `record` only queues (the request never waits
 * for the database), and a batch goes in one insert every `flushMs` or at `maxBatch`. A failed
 * write is logged and reported, and its exposures wait for the next flush (each carries a list id,
 * so a retry that half-succeeded records nothing twice). While the database stays down, at most
 * `maxPending` wait; older ones are dropped, so that period's exposures are under-counted in the
 * results (never the conversions, which are events). `stop` writes what waits.
 *
 * @example
 * const exposures = new ExposureLog(store, logger, { onFailed: (waiting) => metrics.errors.inc({ source: 'recommender', code: 'exposure_write_failed' }) });
 * exposures.record({ listId, experimentId, variant: 'B', followerId, courseIds, channel: 'miniprogram', exposedAt });
 * await exposures.stop();
 */
export class ExposureLog {
  private pending: RecommenderExposure[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | null = null;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;

  constructor(
    private readonly store: RecommenderExposureStore,
    private readonly logger: Pick<Logger, 'error'>,
    private readonly options: ExposureLogOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 1000;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxPending = options.maxPending ?? 10_000;
  }

  /** Queues one shown list; returns at once. */
  record(exposure: RecommenderExposure): void {
    this.pending.push(exposure);
    if (this.pending.length >= this.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      // A queued exposure must not keep a finished process (or a test) alive; stop() writes it.
      this.timer.unref?.();
    }
  }

  /** Writes everything queued so far (one write at a time); resolves when it is written or has failed. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.pending.length);
    this.writing = this.write(batch).finally(() => (this.writing = null));
    await this.writing;
  }

  /** Writes what waits; call on shutdown. */
  async stop(): Promise<void> {
    await this.flush();
  }

  private async write(batch: RecommenderExposure[]): Promise<void> {
    try {
      for (let at = 0; at < batch.length; at += this.maxBatch) await this.store.recordExposures(batch.slice(at, at + this.maxBatch));
    } catch (error) {
      // Keep them for the next flush: each list id is written once, so a partial write is harmless.
      const waiting = [...batch, ...this.pending];
      const dropped = Math.max(0, waiting.length - this.maxPending);
      this.pending = waiting.slice(dropped);
      this.logger.error({ err: error, waiting: this.pending.length, dropped }, 'recommender experiment exposures not written; retrying at the next flush (dropped ones are missing from the results)');
      this.options.onFailed?.(this.pending.length, dropped);
      if (!this.timer && this.pending.length) {
        this.timer = setTimeout(() => void this.flush(), this.flushMs);
        this.timer.unref?.();
      }
    }
  }
}
