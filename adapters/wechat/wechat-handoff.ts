import type { Messenger, Recipient, Reply, SendPurpose, SendResult } from '../../core/index.js';
import type { PgReplyQueue } from '../../models/index.js';

/** The owner name on handed-off rows: no process renews it, so they are everyone's to take. */
const HANDOFF_OWNER = 'handoff';
/** A lease that ran out long ago: the process holding the WeChat session takes the row at its next check. */
const EXPIRED = new Date(0);

/**
 * WeChat for a process without the logged-in wechaty session (the worker's lesson reminders, the
 * HTTP side of a WeChat Pay notification): replies go into the durable `reply_queue` with a lease
 * that already ran out, and the process that holds the session takes them over at its next lease
 * check (`ReplyQueueLease`, every 30 s by default) and sends them through its paced messenger —
 * the same way it takes over what a dead process left queued. `send` answers `sent` once the row
 * is stored: the message is in the WeChat process's hands, and that process records the real
 * send in `sends`. The caller's idempotency key is not carried over (the queue keys on its row
 * id), so callers keep their own claim (lesson reminders: one per follower, course and day).
 *
 * @example
 * wiring.reminderMessengers.set('wechat', new WechatHandoff(new PgReplyQueue(db)));
 * await handoff.enqueue({ followerId, chatId: contactId }, replies, { purpose: 'transactional' });
 */
export class WechatHandoff implements Messenger {
  readonly platform = 'wechat' as const;

  constructor(private readonly queue: Pick<PgReplyQueue, 'add'>) {}

  async enqueue(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose }): Promise<void> {
    await this.queue.add([{ platform: 'wechat', followerId: to.followerId || null, chatId: to.chatId, purpose: options.purpose, replies: [...replies] }], HANDOFF_OWNER, EXPIRED);
  }

  async send(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose; idempotencyKey?: string }): Promise<SendResult> {
    await this.enqueue(to, replies, options);
    return { status: 'sent', providerMessageIds: [] };
  }
}
