import type { RecordedEvents } from '../events/index.js';
import type { Reply } from '../dialog/reply.js';
import type { Recipient, SendPurpose, SendResult } from '../ports/index.js';
import type { ChatPayment } from './inbound.js';

/**
 * Where inbound events are recorded. The group-commit `EventBatcher` is one implementation:
 * concurrent updates share one statement.
 *
 * @example
 * const sink: EventSink<Claim> = new EventBatcher(recordEventsDeps, { admit: (claims) => updates.claimMany(botId, claims) });
 */
export interface EventSink<Ticket = never> {
  /** Records one caller's events; same contract as `recordEvents`, plus the followers touched. */
  recordSeeingFollowers(inputs: readonly unknown[]): Promise<RecordedEvents>;
  /**
   * Records them only if the sink admits `ticket` in the same write (a platform's delivery claim);
   * `'refused'` marks a redelivery and nothing is recorded.
   */
  recordIfAdmitted?(inputs: readonly unknown[], ticket: Ticket): Promise<RecordedEvents | 'refused'>;
}

/**
 * The durable outbound queue for one platform's chats. `enqueue` returns once the replies are
 * queued (stored, so a crash does not lose them) and sends them in the background in per-chat
 * order; `send` waits for the outcome and happens once per idempotency key.
 *
 * @example
 * await outbox.enqueue({ followerId, chatId: '42' }, replies, { purpose: 'transactional' });
 */
export interface ReplyOutbox {
  enqueue(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose }): Promise<void>;
  send(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose; idempotencyKey: string }): Promise<SendResult>;
}

/**
 * Gives a chat payment back to whoever paid it (Telegram `refundStarPayment`).
 *
 * @example
 * await refunds.refundCharge({ provider: 'telegram_stars', chargeId, payerExternalId: '42', currency: 'XTR', totalAmount: 150 });
 */
export interface ChargeRefunds {
  refundCharge(payment: ChatPayment): Promise<void>;
}
