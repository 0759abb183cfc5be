import { dispatchOutbox, type DispatchDeps, type DispatchOptions } from '../core/campaigns/index.js';

/**
 * Drains the outbox continuously: one batch after another while there is due work, a short sleep
 * when there is none. `stop()` lets the batch in flight finish (its messages get marked) before
 * returning, so a graceful shutdown leaves nothing leased.
 *
 * @example
 * const dispatcher = new OutboxDispatcher(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 16, maxAttempts: 5, idleMs: 1000 });
 * await dispatcher.start();
 */
export class OutboxDispatcher {
  readonly name = 'outbox-dispatcher';
  private running: Promise<void> | undefined;
  private isStopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly deps: DispatchDeps,
    private readonly options: DispatchOptions & { idleMs: number; onBatch?: (counts: Awaited<ReturnType<typeof dispatchOutbox>>) => void },
  ) {}

  async start(): Promise<void> {
    this.isStopping = false;
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.isStopping) {
      let claimed = 0;
      try {
        const counts = await dispatchOutbox(this.deps, this.options);
        claimed = counts.claimed;
        if (claimed > 0) this.options.onBatch?.(counts);
      } catch (error) {
        this.deps.logger.error({ err: error }, 'outbox dispatch batch failed');
        this.deps.onOutcome?.('batch_error');
      }
      if (claimed === 0 && !this.isStopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.idleMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** Wakes an idle dispatcher (after enqueueing). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    this.wake?.();
    await this.running;
  }
}
