import { TelegramError, type Telegram } from 'telegraf';
import type { BatchMessenger, KeyedSend } from '../../core/campaigns/index.js';
import { MicroBatcher, type FollowerRepository, type Logger, type Recipient, type Reply, type SendPurpose, type SendResult } from '../../core/index.js';
import type { FinishedSend, PgReplyQueue, PgSendLogRepository, QueuedReplies } from '../../models/index.js';
import { ReplyQueueLease } from '../outbound/reply-queue-lease.js';
import { RateLimiter } from './rate-limiter.js';
import { renderReply, type TelegramCall } from './render-reply.js';

/** Where time comes from; tests pass one that does not really wait. */
export interface Timer {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimer: Timer = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface TelegramMessengerDeps {
  telegram: Pick<Telegram, 'sendMessage' | 'sendInvoice'>;
  sendLog: Pick<PgSendLogRepository, 'start' | 'startMany' | 'finish' | 'finishMany' | 'record'>;
  followers: Pick<FollowerRepository, 'update'>;
  limiter: RateLimiter;
  logger: Logger;
  timer?: Timer;
  /** How many 429s one message may get before the send reports `rate_limited`; 3 by default. */
  maxRateLimitRetries?: number;
  /** Called once per finished send with its status (metrics). */
  onSent?: (status: SendResult['status'], purpose: SendPurpose) => void;
  /** Queued sends beyond which `enqueue` waits for room (backpressure); 10,000 by default. */
  maxQueuedSends?: number;
  /** How long a finished send's row waits for others to be written with (group commit); 2 ms by default. */
  sendLogBatchMs?: number;
  /**
   * Where queued chat replies are kept until sent, so a crash does not lose them (without it they
   * live in memory only). Another process takes over a dead one's replies once its lease runs out.
   */
  replyQueue?: Pick<PgReplyQueue, 'add' | 'renew' | 'takeExpired'>;
  /** This process's name on its queued replies; host, pid and a random part by default. */
  instanceId?: string;
  /** How long queued replies stay this process's without a renewal (2 min), and how often it renews and looks for a dead process's replies (30 s). */
  replyLease?: { leaseMs: number; checkEveryMs: number };
}

type CompletedSend = Parameters<PgSendLogRepository['record']>[0][number];

type FinishedRow = Parameters<PgSendLogRepository['finishMany']>[0][number];

/**
 * Writes finished sends' rows of one batch: a row goes at once when no write is in flight, else
 * with every row that finished while the write before it ran — no timer, so under load writes grow
 * instead of queueing. A failed write is kept (`error`) and the next rows are still written.
 */
class SendLogWriter {
  error: unknown;
  failedRows = 0;
  private pending: FinishedRow[] = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly write: (rows: FinishedRow[]) => Promise<void>) {}

  add(row: FinishedRow): void {
    this.pending.push(row);
    this.writing ??= this.writeAll();
  }

  /** Resolves when every row added so far is written (or its write failed). */
  async idle(): Promise<void> {
    await this.writing;
  }

  private async writeAll(): Promise<void> {
    for (let rows = this.pending; rows.length > 0; rows = this.pending) {
      this.pending = [];
      try {
        await this.write(rows);
      } catch (error) {
        this.error = error;
        this.failedRows += rows.length;
      }
    }
    this.writing = undefined;
  }
}

/** Group and supergroup chat ids are negative in the Bot API. */
const chatKindOf = (chatId: string): 'private' | 'group' => (chatId.startsWith('-') ? 'group' : 'private');

function asSendResult(outcome: FinishedSend): SendResult {
  switch (outcome.status) {
    case 'sent':
      return { status: 'sent', providerMessageIds: outcome.providerMessageIds };
    case 'blocked':
      return { status: 'blocked', reason: outcome.error ?? 'blocked' };
    case 'sending':
      return { status: 'failed', reason: 'a send with this idempotency key is in progress', isRetryable: true };
    default:
      return { status: 'failed', reason: outcome.error ?? outcome.status, isRetryable: true };
  }
}

/**
 * The one outbound path to Telegram, for chat replies and jobs alike: renders core replies, waits
 * for a slot under the global, per-chat and per-group limits, retries a 429 after `retry_after`,
 * marks the follower unreachable on a 403 (and fails nothing else), and records every send in the
 * `sends` table. With an idempotency key a send happens once.
 *
 * @example
 * const messenger = new TelegramMessenger({ telegram: bot.telegram, sendLog, followers, limiter: new RateLimiter(TELEGRAM_RATE_LIMITS), logger });
 * await messenger.send({ followerId, chatId: '42' }, [{ type: 'text', text: 'Hi' }], { purpose: 'transactional' });
 */
export class TelegramMessenger implements BatchMessenger {
  readonly platform = 'telegram' as const;
  private readonly timer: Timer;

  constructor(private readonly deps: TelegramMessengerDeps) {
    this.timer = deps.timer ?? realTimer;
    this.maxQueued = deps.maxQueuedSends ?? 10_000;
    this.completedLog = new MicroBatcher<CompletedSend, void>(
      async (completed) => {
        await deps.sendLog.record(completed);
        return completed.map(() => undefined);
      },
      { maxWaitMs: deps.sendLogBatchMs ?? 2, maxSize: 200 },
    );
    const queue = deps.replyQueue;
    this.lease = queue
      ? new ReplyQueueLease({
          platform: 'telegram',
          queue,
          logger: deps.logger,
          nowMs: () => this.timer.nowMs(),
          ...(deps.instanceId ? { instanceId: deps.instanceId } : {}),
          ...(deps.replyLease ? { lease: deps.replyLease } : {}),
          takeOver: (item) => this.queueInMemory({ followerId: item.followerId ?? '', chatId: item.chatId }, item.replies, item.purpose, item.id),
        })
      : undefined;
    // Replies queued within 5 ms of each other are stored by one statement (group commit); nobody
    // waits on it but the send's own record, so a short wait only means fewer statements.
    this.queueWrites = queue
      ? new MicroBatcher<QueuedReplies, number>((items) => queue.add(items, this.lease!.instanceId, this.lease!.leaseUntil()), { maxWaitMs: 5, maxSize: 200, maxConcurrentFlushes: 2 })
      : undefined;
  }

  private readonly lease: ReplyQueueLease | undefined;
  private readonly queueWrites: MicroBatcher<QueuedReplies, number> | undefined;

  /**
   * With a reply queue: sends what a stopped process left queued (its lease ran out), and from now
   * on renews this process's leases and looks again every `checkEveryMs`. Call `stop` to end it.
   */
  async start(): Promise<void> {
    await this.lease?.start();
  }

  /** Stops renewing; replies still queued stay in the table for another process after the lease. */
  stop(): void {
    this.lease?.stop();
  }

  /** Queues (in memory, in order) the replies of processes whose lease ran out; returns how many. */
  async takeOverExpired(): Promise<number> {
    return this.lease ? this.lease.takeOverExpired() : 0;
  }

  async send(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose; idempotencyKey?: string }): Promise<SendResult> {
    if (!options.idempotencyKey) return this.sendUnkeyed(to, replies, options.purpose);
    const started = await this.deps.sendLog.start({
      platform: 'telegram',
      followerId: to.followerId || null,
      chatId: to.chatId,
      purpose: options.purpose,
      idempotencyKey: options.idempotencyKey,
      replyCount: replies.length,
    });
    if (started.id === null) return asSendResult(started.existing);
    const { result, messageIds, attempts, error } = await this.deliver(to, replies);
    await this.deps.sendLog.finish(started.id, { status: result.status, providerMessageIds: messageIds, error }, attempts, new Date(this.timer.nowMs()));
    this.reportFinished(to, result, error, options.purpose);
    return result;
  }

  /**
   * Sends an outbox batch: `send` with an idempotency key for each message, at a few round trips
   * per batch. The keys of the whole batch are claimed in one statement (committed before anything
   * goes out); up to `concurrency` messages are then in flight, and each finished send's row is
   * written with the next write of the batch — at once when none is in flight, else with the others
   * that finished meanwhile — so a crash leaves at most one write's worth of sent messages looking
   * "in progress", as `send` does with one. Resolves when every row is written.
   *
   * @example
   * const [result] = await messenger.sendBatch([{ to: { followerId, chatId: '42' }, replies, idempotencyKey: 'outbox:7' }], { purpose: 'marketing', concurrency: 16 });
   */
  async sendBatch(sends: readonly KeyedSend[], options: { purpose: SendPurpose; concurrency: number }): Promise<SendResult[]> {
    const started = await this.deps.sendLog.startMany(
      sends.map((s) => ({ platform: 'telegram', followerId: s.to.followerId || null, chatId: s.to.chatId, purpose: options.purpose, idempotencyKey: s.idempotencyKey, replyCount: s.replies.length })),
    );
    const results = started.map((start) => (start.id === null ? asSendResult(start.existing) : undefined));
    const finished = new SendLogWriter((rows) => this.deps.sendLog.finishMany(rows));
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < sends.length; i = next++) {
        const id = started[i]!.id;
        if (id === null) continue;
        const { to, replies } = sends[i]!;
        // One message's unexpected error (marking a blocked follower, say) is its own failure, not the batch's.
        const { result, messageIds, attempts, error } = await this.deliver(to, replies).catch((cause: unknown) => {
          const reason = cause instanceof Error ? cause.message : String(cause);
          return { result: { status: 'failed', reason, isRetryable: true } as const, messageIds: [], attempts: 0, error: reason };
        });
        const at = new Date(this.timer.nowMs());
        // When Telegram accepted this message, not when the batch ends: attribution counts from here.
        results[i] = result.status === 'sent' ? { ...result, acceptedAt: at } : result;
        finished.add({ id, outcome: { status: result.status, providerMessageIds: messageIds, error }, attempts, at });
        this.reportFinished(to, result, error, options.purpose);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, sends.length)) }, worker));
    } finally {
      await finished.idle();
    }
    if (finished.error) {
      // The messages went out (their results say so); only their rows still read `sending`.
      this.deps.logger.error({ err: finished.error, rows: finished.failedRows }, 'telegram send log rows could not be finished');
    }
    return results.map((r) => r ?? { status: 'failed', reason: 'not sent', isRetryable: true });
  }

  /**
   * Queues replies to one chat and returns once they are queued (at once, unless the queue is over
   * its high-water mark `maxQueuedSends`: then when there is room); they go out in the background, after what was
   * queued for that chat before (per-chat order), within the rate limits, and are recorded in
   * `sends` when done. Nothing fails back to the caller: an outcome other than sent is logged and
   * counted (`onSent`), a 403 marks the follower unreachable. {@link drain} waits for the queue.
   * With a `replyQueue`, queued replies are also stored, alongside (one statement for concurrent
   * callers; the caller does not wait for it, to keep the webhook's answer fast): if the process
   * dies before sending them, another (or this one, restarted) takes them over once their lease
   * runs out ({@link start}). A crash within the few milliseconds before the row commits loses
   * those replies; a reply sent just before a crash may go twice. Without a `replyQueue` they live
   * in memory only, and a graceful stop drains them.
   *
   * @example
   * await messenger.enqueue({ followerId, chatId: '42' }, replies, { purpose: 'transactional' });
   */
  async enqueue(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose }): Promise<void> {
    // Backpressure: past the high-water mark the caller waits for room, so a burst beyond the
    // rate limits slows the webhook down instead of growing the queue without end.
    while (this.queued >= this.maxQueued) await new Promise<void>((resolve) => this.room.push(resolve));
    // Stored alongside (the caller does not wait for the write): a crash in the millisecond
    // before it commits loses these replies, one after it does not.
    const stored = this.queueWrites?.submit({ platform: 'telegram', followerId: to.followerId || null, chatId: to.chatId, purpose: options.purpose, replies: [...replies] }).catch((error: unknown) => {
      this.deps.logger.error({ err: error, chatId: to.chatId }, 'queued chat replies could not be stored; they are sent from memory');
      return undefined;
    });
    this.queueInMemory(to, replies, options.purpose, stored);
  }

  /** Puts replies behind what this chat already has queued; they go out in the background. */
  private queueInMemory(to: Recipient, replies: readonly Reply[], purpose: SendPurpose, queueId: Promise<number | undefined> | number | undefined): void {
    const previous = this.chatQueues.get(to.chatId) ?? Promise.resolve();
    this.queued++;
    const next = previous.then(async () => {
      try {
        await this.sendUnkeyed(to, replies, purpose, queueId);
      } catch (error) {
        this.deps.logger.error({ err: error, chatId: to.chatId, followerId: to.followerId }, 'queued telegram send failed');
        this.deps.onSent?.('failed', purpose);
      } finally {
        if (this.chatQueues.get(to.chatId) === next) this.chatQueues.delete(to.chatId);
        this.room.shift()?.();
        if (--this.queued === 0) {
          this.idle.forEach((resolve) => resolve());
          this.idle = [];
        }
      }
    });
    this.chatQueues.set(to.chatId, next);
  }

  /** Sends queued with {@link enqueue} not yet finished (sent and recorded). */
  get queuedSends(): number {
    return this.queued;
  }

  /** Resolves once every queued send has finished and been recorded (graceful stop, tests). */
  drain(): Promise<void> {
    return this.queued === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  private readonly chatQueues = new Map<string, Promise<void>>();
  private queued = 0;
  private idle: Array<() => void> = [];
  /** Callers of `enqueue` waiting for the queue to drop below the high-water mark. */
  private readonly room: Array<() => void> = [];
  private readonly maxQueued: number;
  private readonly completedLog: MicroBatcher<CompletedSend, void>;

  /** A send without an idempotency key has nothing to claim: its row is written once, when it is over. */
  private async sendUnkeyed(to: Recipient, replies: readonly Reply[], purpose: SendPurpose, queued?: Promise<number | undefined> | number): Promise<SendResult> {
    const startedAt = new Date(this.timer.nowMs());
    const { result, messageIds, attempts, error } = await this.deliver(to, replies);
    // The stored row goes in the statement that records the send.
    const queueId = await queued;
    await this.completedLog.submit({
      ...(queueId === undefined ? {} : { queueId }),
      platform: 'telegram',
      followerId: to.followerId || null,
      chatId: to.chatId,
      purpose,
      replyCount: replies.length,
      status: result.status,
      providerMessageIds: messageIds,
      error,
      attempts,
      startedAt,
      finishedAt: new Date(this.timer.nowMs()),
    });
    this.reportFinished(to, result, error, purpose);
    return result;
  }

  /** Sends the replies in order, stopping at the first that does not go through; a 403 marks the follower unreachable. */
  private async deliver(to: Recipient, replies: readonly Reply[]): Promise<{ result: SendResult; messageIds: string[]; attempts: number; error: string | null }> {
    const messageIds: string[] = [];
    let attempts = 0;
    let result: SendResult = { status: 'sent', providerMessageIds: messageIds };
    for (const reply of replies) {
      const outcome = await this.sendOne(to, renderReply(reply));
      attempts += outcome.attempts;
      if (outcome.result.status !== 'sent') {
        result = outcome.result;
        break;
      }
      messageIds.push(...outcome.result.providerMessageIds);
    }
    if (result.status === 'blocked' && to.followerId) await this.deps.followers.update(to.followerId, { isReachable: false });
    const error = result.status === 'sent' ? null : result.status === 'rate_limited' ? `retry after ${result.retryAfterMs} ms` : result.reason;
    return { result, messageIds, attempts, error };
  }

  private reportFinished(to: Recipient, result: SendResult, error: string | null, purpose: SendPurpose): void {
    if (result.status !== 'sent') this.deps.logger.warn({ chatId: to.chatId, followerId: to.followerId, status: result.status, error }, 'telegram send did not go through');
    this.deps.onSent?.(result.status, purpose);
  }

  private async sendOne(to: Recipient, call: TelegramCall): Promise<{ result: SendResult; attempts: number }> {
    const maxRetries = this.deps.maxRateLimitRetries ?? 3;
    for (let attempt = 1; ; attempt++) {
      const now = this.timer.nowMs();
      const at = this.deps.limiter.reserve(to.chatId, chatKindOf(to.chatId), now);
      if (at > now) await this.timer.sleep(at - now);
      try {
        const messageId = await this.call(to.chatId, call);
        return { result: { status: 'sent', providerMessageIds: [String(messageId)] }, attempts: attempt };
      } catch (error) {
        const code = error instanceof TelegramError ? error.code : undefined;
        if (code === 429) {
          const retryAfterMs = Math.max(1, error instanceof TelegramError ? (error.parameters?.retry_after ?? 1) : 1) * 1000;
          if (attempt > maxRetries) return { result: { status: 'rate_limited', retryAfterMs }, attempts: attempt };
          this.deps.logger.warn({ chatId: to.chatId, retryAfterMs, attempt }, 'telegram 429: waiting retry_after');
          await this.timer.sleep(retryAfterMs);
          continue;
        }
        const description = error instanceof Error ? error.message : String(error);
        if (code === 403) return { result: { status: 'blocked', reason: description }, attempts: attempt };
        // 4xx other than 429 will fail the same way again; 5xx and network errors may not.
        const isRetryable = code === undefined || code >= 500;
        return { result: { status: 'failed', reason: description, isRetryable }, attempts: attempt };
      }
    }
  }

  private async call(chatId: string, call: TelegramCall): Promise<number> {
    if (call.method === 'sendMessage') {
      const message = await this.deps.telegram.sendMessage(chatId, call.text, call.inlineKeyboard ? { reply_markup: { inline_keyboard: call.inlineKeyboard } } : {});
      return message.message_id;
    }
    const message = await this.deps.telegram.sendInvoice(chatId, {
      title: call.title,
      description: call.description,
      payload: call.payload,
      provider_token: '',
      currency: call.currency,
      prices: [{ label: call.title, amount: call.amount }],
    });
    return message.message_id;
  }
}
