import type { Logger, Recipient, Reply, ReplyOutbox, SendPurpose, SendResult } from '../../core/index.js';
import type { PgReplyQueue } from '../../models/index.js';
import { ReplyQueueLease } from '../outbound/reply-queue-lease.js';
import type { WechatMessenger } from './wechat-messenger.js';

export interface WechatReplyOutboxDeps {
  messenger: Pick<WechatMessenger, 'send'>;
  queue: Pick<PgReplyQueue, 'add' | 'remove' | 'renew' | 'takeExpired'>;
  logger: Logger;
  nowMs?: () => number;
  instanceId?: string;
  lease?: { leaseMs: number; checkEveryMs: number };
}

/**
 * WeChat's durable chat-reply queue, the same contract as Telegram's: `enqueue` stores the replies
 * in `reply_queue` (the webhook-less wechaty handler waits for that one insert: WeChat sends are
 * paced seconds apart anyway) and sends them in the background in per-chat order through the paced
 * messenger, keyed on the row id; the row is deleted once its send is recorded. Rows of a stopped
 * process are taken over once their lease runs out ({@link start}) and sent again: at least once,
 * so a reply whose send finished in the moment between its send-log row and the queue row's delete
 * when the process died goes twice; none is lost.
 *
 * @example
 * const outbox = new WechatReplyOutbox({ messenger, queue: new PgReplyQueue(db), logger });
 * await outbox.start();
 * await outbox.enqueue({ followerId, chatId: contactId }, replies, { purpose: 'transactional' });
 */
export class WechatReplyOutbox implements ReplyOutbox {
  private readonly lease: ReplyQueueLease;
  private readonly chats = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: WechatReplyOutboxDeps) {
    this.lease = new ReplyQueueLease({
      platform: 'wechat',
      queue: deps.queue,
      logger: deps.logger,
      nowMs: deps.nowMs ?? Date.now,
      ...(deps.instanceId ? { instanceId: deps.instanceId } : {}),
      ...(deps.lease ? { lease: deps.lease } : {}),
      // The dead owner's send of this row, if it was stuck 'sending', was closed as failed by the
      // takeover: sent again under the same key (at least once; see the class comment).
      takeOver: (item) => this.queueInMemory({ followerId: item.followerId ?? '', chatId: item.chatId }, item.replies, item.purpose, item.id),
    });
  }

  start(): Promise<void> {
    return this.lease.start();
  }

  stop(): void {
    this.lease.stop();
  }

  async enqueue(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose }): Promise<void> {
    const [id] = await this.deps.queue.add([{ platform: 'wechat', followerId: to.followerId || null, chatId: to.chatId, purpose: options.purpose, replies: [...replies] }], this.lease.instanceId, this.lease.leaseUntil());
    this.queueInMemory(to, replies, options.purpose, id!);
  }

  send(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose; idempotencyKey: string }): Promise<SendResult> {
    return this.deps.messenger.send(to, replies, options);
  }

  /** Resolves once every reply queued so far has been sent (or given up) and its row removed. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private queueInMemory(to: Recipient, replies: readonly Reply[], purpose: SendPurpose, id: number): void {
    const idempotencyKey = `queued:${id}`;
    const previous = this.chats.get(to.chatId) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        const result = await this.deps.messenger.send(to, replies, { purpose, idempotencyKey });
        if (result.status !== 'sent') this.deps.logger.warn({ chatId: to.chatId, status: result.status }, 'WeChat reply not sent');
        // Sent, or given up with its outcome in the send log: either way the row has done its job.
        await this.deps.queue.remove([id]);
      } catch (error) {
        this.deps.logger.error({ err: error, chatId: to.chatId }, 'queued WeChat reply failed; its row stays queued and is sent again when another process (or this one, restarted) takes it over');
      } finally {
        if (this.chats.get(to.chatId) === next) this.chats.delete(to.chatId);
      }
    });
    this.chats.set(to.chatId, next);
    this.inFlight.add(next);
    void next.finally(() => this.inFlight.delete(next));
  }
}
