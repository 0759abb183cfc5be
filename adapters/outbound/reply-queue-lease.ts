import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger, Platform } from '../../core/index.js';
import type { PgReplyQueue, QueuedReplies } from '../../models/index.js';

export interface ReplyQueueLeaseOptions {
  platform: Platform;
  queue: Pick<PgReplyQueue, 'renew' | 'takeExpired'>;
  logger: Logger;
  nowMs: () => number;
  /** This process's name on its queued replies; host, pid and a random part by default. */
  instanceId?: string;
  /** How long queued replies stay this process's without a renewal (2 min), and how often it renews and looks for a dead process's replies (30 s). */
  lease?: { leaseMs: number; checkEveryMs: number };
  /** Queues (in memory, in per-chat order) the replies taken over from a stopped process. */
  takeOver: (item: QueuedReplies & { id: number }) => void;
}

/**
 * The lease side of a platform's durable reply queue (table `reply_queue`): rows a process queued
 * stay its own while it renews them; rows of a process that stopped renewing (it died) are taken
 * over by any process with the same platform's messenger and sent from there.
 *
 * @example
 * const lease = new ReplyQueueLease({ platform: 'wechat', queue, logger, nowMs: Date.now, takeOver: (item) => queueInMemory(item) });
 * await lease.start();
 */
export class ReplyQueueLease {
  readonly instanceId: string;
  private readonly lease: { leaseMs: number; checkEveryMs: number };
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: ReplyQueueLeaseOptions) {
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.lease = options.lease ?? { leaseMs: 120_000, checkEveryMs: 30_000 };
  }

  /** Until when a row written or renewed now stays this process's. */
  leaseUntil(): Date {
    return new Date(this.options.nowMs() + this.lease.leaseMs);
  }

  /** Takes over what stopped processes left queued, then renews and looks again every `checkEveryMs`. */
  async start(): Promise<void> {
    if (this.timer) return;
    await this.takeOverExpired();
    this.timer = setInterval(() => {
      void this.options.queue.renew(this.instanceId, this.leaseUntil())
        .then(() => this.takeOverExpired())
        .catch((error: unknown) => this.options.logger.error({ err: error, platform: this.options.platform }, 'reply queue lease renewal failed'));
    }, this.lease.checkEveryMs);
    this.timer.unref();
  }

  /** Stops renewing; replies still queued stay in the table for another process after the lease. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes the rows whose lease ran out and hands each to `takeOver`; returns how many. */
  async takeOverExpired(): Promise<number> {
    const taken = await this.options.queue.takeExpired(this.options.platform, this.instanceId, new Date(this.options.nowMs()), this.leaseUntil(), 500);
    for (const item of taken) this.options.takeOver(item);
    if (taken.length > 0) this.options.logger.warn({ replies: taken.length, platform: this.options.platform }, 'took over chat replies a stopped process had queued');
    return taken.length;
  }
}
