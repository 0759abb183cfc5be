import type { Currency } from '../catalog/course.js';

export const ORDER_STATUSES = ['pending', 'paid', 'refunded', 'cancelled', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Payment providers. `wechat_virtual` is WeChat's virtual-goods payment for mini-programs. */
export const PAYMENT_PROVIDERS = ['telegram_stars', 'wechat_pay', 'wechat_virtual', 'manual'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

export interface Order {
  id: string;
  followerId: string;
  courseId: string;
  amountMinor: number;
  currency: Currency;
  provider: PaymentProvider;
  status: OrderStatus;
  /** The provider's id for the charge (Telegram `telegram_payment_charge_id`, WeChat `transaction_id`). */
  providerChargeId: string | null;
  createdAt: Date;
  paidAt: Date | null;
  refundedAt: Date | null;
}
