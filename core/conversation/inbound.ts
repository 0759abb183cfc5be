import type { InboundMessage } from '../dialog/inbound-message.js';
import type { EventInput, IdentityInput } from '../events/index.js';
import type { PaymentProvider } from '../orders/order.js';
import type { ReferralChannel } from '../referrals/referral.js';

/** The chat an inbound update came from, where the replies go. */
export interface ChatRef {
  /** Telegram chat id, WeChat contact id or `room:<id>`. */
  id: string;
  kind: 'private' | 'group';
}

/** What the dialog is asked, before the follower is known (the use case fills in `followerId`). */
export type DialogInput = Omit<InboundMessage, 'followerId'>;

/** A payment the platform reports as done in the chat (Telegram `successful_payment`). */
export interface ChatPayment {
  provider: PaymentProvider;
  /** The order our invoice named; absent when the invoice was not ours. */
  orderId?: string;
  /** The provider's charge id: the payment's idempotency key. */
  chargeId: string;
  /** As the platform reports it (`XTR`), before we check that we ever charge in it. */
  currency: string;
  /** Minor units of `currency` (Stars have none: 150 is 150 ⭐). */
  totalAmount: number;
  /** The payer's account on the platform, for giving the money back. */
  payerExternalId: string;
}

interface InboundCommon {
  /** Who acted, on their platform; the follower is created on first sight. */
  identity: IdentityInput;
  chat: ChatRef;
  /** Events to record first, keyed on the platform's delivery id so a redelivery records nothing twice. */
  events: EventInput[];
}

/**
 * One thing that arrived from a follower on any platform, as its adapter translated it. Each kind
 * is answered by its own step of {@link InboundConversation.answer}:
 * - `turn`: something for the dialog (text, a command, a button); `referral`: the follower opened
 *   someone's referral link (Telegram `/start ref_<code>`), attributed before the dialog answers;
 * - `reachability`: the follower blocked or unblocked the bot;
 * - `payment`: money moved in the chat and must be settled against an order;
 * - `record`: only recorded (a group message not addressed to us, an edit, a checkout query).
 */
export type Inbound =
  | (InboundCommon & { kind: 'turn'; turn: DialogInput; referral?: { code: string; channel: ReferralChannel } })
  | (InboundCommon & { kind: 'reachability'; isReachable: boolean })
  | (InboundCommon & { kind: 'payment'; payment: ChatPayment })
  | (InboundCommon & { kind: 'record' });

/** What became of one inbound update. */
export type InboundOutcome = 'processed' | 'duplicate';
