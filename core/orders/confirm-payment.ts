import type { Currency } from '../catalog/course.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Platform } from '../events/event-types.js';
import type { Clock, CoreMetrics, UnitOfWork } from '../ports/index.js';
import type { Order, PaymentProvider } from './order.js';
import { rewardReferredPurchase, type ReferralReward } from '../referrals/reward-referral.js';

export interface PaymentConfirmation {
  orderId: string;
  provider: PaymentProvider;
  /** The provider's charge id (`telegram_payment_charge_id`, WeChat `transaction_id`): the idempotency key. */
  providerChargeId: string;
  amountMinor: number;
  currency: Currency;
  paidAt?: Date;
}

const PLATFORM_OF: Record<PaymentProvider, Platform> = {
  telegram_stars: 'telegram',
  wechat_pay: 'miniprogram',
  wechat_virtual: 'miniprogram',
  sandbox: 'miniprogram',
  manual: 'api',
};

/**
 * Marks an order paid and grants the course, exactly once: a redelivered notification with the
 * same charge id returns `isNew: false` and changes nothing; a different amount or currency, or a
 * charge id already used by another order, is refused with no state change. A referred follower's
 * first payment of the order also rewards their referrer (`referral`: coupon or commission).
 *
 * @example
 * const { order, isNew } = await confirmPayment(deps, { orderId, provider: 'wechat_pay', providerChargeId: txId, amountMinor: 19900, currency: 'CNY' });
 */
export async function confirmPayment(
  deps: { uow: UnitOfWork; clock: Clock; metrics?: CoreMetrics },
  payment: PaymentConfirmation,
): Promise<{ order: Order; isNew: boolean; referral?: ReferralReward }> {
  const result = await deps.uow.run(async (repos): Promise<{ order: Order; isNew: boolean; referral?: ReferralReward }> => {
    const order = await repos.orders.findByIdForUpdate(payment.orderId);
    if (!order) throw new NotFoundError('order_not_found', `No order ${payment.orderId}.`);
    if (order.provider !== payment.provider) {
      throw new ValidationError('provider_mismatch', `Order ${order.id} is paid through ${order.provider}, not ${payment.provider}.`);
    }
    if (order.status === 'paid' || order.status === 'refunded') {
      if (order.providerChargeId === payment.providerChargeId) return { order, isNew: false };
      throw new ConflictError('already_paid', `Order ${order.id} was already paid with another charge.`);
    }
    if (order.amountMinor !== payment.amountMinor || order.currency !== payment.currency) {
      throw new ValidationError(
        'amount_mismatch',
        `Paid ${payment.amountMinor} ${payment.currency} but order ${order.id} costs ${order.amountMinor} ${order.currency}.`,
      );
    }
    const other = await repos.orders.findByProviderCharge(payment.provider, payment.providerChargeId);
    if (other && other.id !== order.id) throw new ConflictError('charge_reused', 'This charge id already paid another order.');
    const paidAt = payment.paidAt ?? deps.clock.now();
    const paid = await repos.orders.markPaid(order.id, payment.providerChargeId, paidAt);
    await repos.orders.grantEntitlement(order.followerId, order.courseId, order.id, paidAt);
    await repos.events.append([
      {
        followerId: order.followerId,
        kind: 'purchase',
        platform: PLATFORM_OF[order.provider],
        externalId: `payment:${order.provider}:${payment.providerChargeId}`,
        courseId: order.courseId,
        payload: { orderId: order.id, amountMinor: order.amountMinor, currency: order.currency },
        terms: [],
        occurredAt: paidAt,
      },
    ]);
    if (order.couponId) {
      // Counted once: a redelivered payment returned above, before reaching this line.
      const redeemed = await repos.coupons.redeem(order.id, paidAt);
      if (redeemed) await repos.audit.record({ actor: `provider:${order.provider}`, action: 'coupon.redeemed', subjectType: 'coupon', subjectId: redeemed.couponId, details: { orderId: order.id, code: redeemed.code } });
    }
    await repos.audit.record({ actor: `provider:${order.provider}`, action: 'order.paid', subjectType: 'order', subjectId: order.id, details: { providerChargeId: payment.providerChargeId } });
    // A referred follower's purchase rewards their referrer once, with the payment.
    const referral = await rewardReferredPurchase(repos, paid, paidAt);
    return { order: paid, isNew: true, ...(referral ? { referral } : {}) };
  });
  if (result.isNew) deps.metrics?.eventsRecorded('purchase', 1);
  return result;
}
