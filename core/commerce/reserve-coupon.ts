import type { Repositories } from '../ports/repositories.js';
import { CouponRefusedError } from './coupon.js';
import type { RedemptionRelease } from './coupon-ports.js';
import type { CouponQuote } from './quote-coupon.js';

/**
 * Reserves a quoted coupon for an order, inside the order's transaction: the coupon row is locked,
 * its lapsed reservations are released (and audited), the limits are counted again under the lock,
 * and the reservation runs until `reservedUntil`. Throws {@link CouponRefusedError} when the coupon
 * ran out meanwhile (the transaction, and so the order, is then rolled back).
 *
 * @example
 * await reserveCoupon(repos, quote, { orderId: order.id, followerId, reservedUntil, now });
 */
export async function reserveCoupon(
  repos: Pick<Repositories, 'coupons' | 'audit'>,
  quote: Extract<CouponQuote, { ok: true }>,
  input: { orderId: string; followerId: string; reservedUntil: Date; now: Date },
): Promise<void> {
  const { coupon } = quote;
  await repos.coupons.lock(coupon.id);
  for (const lapsed of await repos.coupons.releaseLapsed(coupon.id, input.now)) {
    await repos.audit.record({ actor: 'system', action: 'coupon.released', subjectType: 'coupon', subjectId: coupon.id, details: { orderId: lapsed.orderId, code: lapsed.code, reason: 'expired' } });
  }
  const { total, byFollower } = await repos.coupons.countInUse(coupon.id, input.followerId, input.now);
  if (coupon.maxRedemptions !== null && total >= coupon.maxRedemptions) throw new CouponRefusedError('exhausted', quote.code);
  if (byFollower >= coupon.perFollowerLimit) throw new CouponRefusedError('used_up', quote.code);
  await repos.coupons.reserve({
    couponId: coupon.id,
    code: quote.code,
    followerId: input.followerId,
    orderId: input.orderId,
    originalAmountMinor: quote.original.amountMinor,
    discountMinor: quote.discountMinor,
    currency: quote.price.currency,
    reservedUntil: input.reservedUntil,
  });
  await repos.audit.record({
    actor: `follower:${input.followerId}`,
    action: 'coupon.reserved',
    subjectType: 'coupon',
    subjectId: coupon.id,
    details: { orderId: input.orderId, code: quote.code, originalAmountMinor: quote.original.amountMinor, discountMinor: quote.discountMinor, currency: quote.price.currency },
  });
}

/**
 * Releases the coupon an order held (a failed or cancelled payment, a refund), audited; nothing
 * happens for an order without one or one released before.
 *
 * @example
 * await releaseCoupon(repos, order.id, 'refunded', { actor: 'admin:alice', at: now });
 */
export async function releaseCoupon(repos: Pick<Repositories, 'coupons' | 'audit'>, orderId: string, reason: RedemptionRelease, by: { actor: string; at: Date }): Promise<void> {
  const released = await repos.coupons.release(orderId, reason, by.at);
  if (released) await repos.audit.record({ actor: by.actor, action: 'coupon.released', subjectType: 'coupon', subjectId: released.couponId, details: { orderId, code: released.code, reason } });
}
