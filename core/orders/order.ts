import type { Currency } from '../catalog/course.js';

export const ORDER_STATUSES = ['pending', 'paid', 'refunded', 'cancelled', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Payment providers. `wechat_virtual` is WeChat's virtual-goods payment for mini-programs;
 * `sandbox` is the local stand-in for WeChat Pay in development and tests (never real money).
 */
export const PAYMENT_PROVIDERS = ['telegram_stars', 'wechat_pay', 'wechat_virtual', 'sandbox', 'manual'] as const;
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
  /** The coupon (or limited-time price) this order used; `originalAmountMinor` is the price before it. */
  couponId: string | null;
  originalAmountMinor: number | null;
}
