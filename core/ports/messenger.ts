import type { Reply } from '../dialog/reply.js';
import type { Platform } from '../events/event-types.js';

/** Where a message goes on one platform: the follower and their chat there. */
export interface Recipient {
  followerId: string;
  /** Telegram chat id, WeChat contact or room id. */
  chatId: string;
}

/** Where a send stands in the send log (table `sends`), on every platform. */
export const SEND_STATUSES = ['sending', 'sent', 'blocked', 'rate_limited', 'failed'] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];

/**
 * `transactional` answers what a follower asked; `marketing` is unsolicited and passes every guard;
 * `service` is unsolicited but about something the follower bought (a lesson reminder): outside
 * quiet hours, under its own daily limit and switch, not under marketing consent and caps.
 */
export type SendPurpose = 'transactional' | 'marketing' | 'service';

export type SendResult =
  /** `acceptedAt`: when the platform accepted the (last) message, where the messenger knows it; attribution counts from there. */
  | { status: 'sent'; providerMessageIds: string[]; acceptedAt?: Date }
  /** The follower blocked the bot (Telegram 403) or is gone; they are marked unreachable. */
  | { status: 'blocked'; reason: string }
  /** The platform asked us to slow down; try again after `retryAfterMs`. */
  | { status: 'rate_limited'; retryAfterMs: number }
  | { status: 'failed'; reason: string; isRetryable: boolean };

/**
 * The one outbound path to a platform, used by chat replies and by jobs alike. Implementations
 * keep within the platform's rate limits and record every send.
 *
 * @example
 * const result = await telegramMessenger.send({ followerId, chatId: '42' }, [{ type: 'text', text: 'Hi' }], { purpose: 'marketing', idempotencyKey: 'campaign-7:follower-1' });
 */
export interface Messenger {
  readonly platform: Platform;
  send(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose; idempotencyKey?: string }): Promise<SendResult>;
}
