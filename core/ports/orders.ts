import type { Currency } from '../catalog/course.js';
import type { Order, PaymentProvider as ProviderName } from '../orders/order.js';

export interface NewOrder {
  followerId: string;
  courseId: string;
  amountMinor: number;
  currency: Currency;
  provider: ProviderName;
  /** The coupon applied and the price before it. */
  couponId?: string | null;
  originalAmountMinor?: number | null;
}

/**
 * Orders and the entitlements they grant.
 *
 * @example
 * const order = await orders.create({ followerId, courseId, amountMinor: 19900, currency: 'CNY', provider: 'wechat_pay' });
 */
export interface OrderRepository {
  create(order: NewOrder): Promise<Order>;
  findById(id: string): Promise<Order | null>;
  /** Locks the order row for the rest of the transaction (payment confirmation, refunds). */
  findByIdForUpdate(id: string): Promise<Order | null>;
  findByProviderCharge(provider: ProviderName, providerChargeId: string): Promise<Order | null>;
  /** A pending order of this follower for this course and provider created after `since`, to reuse. */
  findOpen(followerId: string, courseId: string, provider: ProviderName, since: Date): Promise<Order | null>;
  listByFollower(followerId: string): Promise<Order[]>;
  markPaid(id: string, providerChargeId: string, paidAt: Date): Promise<Order>;
  markRefunded(id: string, refundedAt: Date): Promise<Order>;
  /** pending → cancelled (the payer gave up or the payment failed); null when the order is not pending. */
  markCancelled(id: string, at: Date): Promise<Order | null>;
  /** Grants the course (again, if it was revoked). */
  grantEntitlement(followerId: string, courseId: string, orderId: string, at: Date): Promise<void>;
  revokeEntitlement(followerId: string, courseId: string, at: Date): Promise<void>;
}

/** What a client needs to start paying, per provider. */
export type PaymentStart =
  | { kind: 'telegram_invoice'; payload: string; currency: 'XTR'; amountMinor: number }
  | { kind: 'wechat_jsapi'; params: Record<string, string> }
  | { kind: 'wechat_virtual'; params: Record<string, string> };

/**
 * One payment provider behind one port: Telegram Stars, WeChat Pay JSAPI, and room for WeChat's
 * virtual-goods payment that mini-programs must use for virtual products.
 *
 * @example
 * const start = await wechatPay.startPayment(order, { openid });
 */
export interface PaymentGateway {
  readonly provider: ProviderName;
  startPayment(order: Order, payer: { followerId: string; externalId?: string }): Promise<PaymentStart>;
  /** Returns the provider's refund id; throws when the provider refuses. */
  refund(order: Order, reason: string): Promise<{ refundId: string }>;
}
