import { releaseCoupon } from '../commerce/reserve-coupon.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Clock, UnitOfWork } from '../ports/index.js';
import type { Order } from './order.js';

/**
 * Cancels a pending order of this follower because the payment failed or they gave up; its coupon
 * reservation is released at once (audited) instead of waiting for it to lapse. Cancelling a
 * cancelled order again changes nothing; a paid one is refused.
 *
 * @example
 * const order = await cancelPendingOrder({ uow, clock }, { orderId, followerId, reason: 'payment_failed' });
 */
export async function cancelPendingOrder(
  deps: { uow: UnitOfWork; clock: Clock },
  input: { orderId: string; followerId: string; reason: 'payment_failed' | 'cancelled' },
): Promise<Order> {
  return deps.uow.run(async (repos) => {
    const order = await repos.orders.findByIdForUpdate(input.orderId);
    if (!order || order.followerId !== input.followerId) throw new NotFoundError('order_not_found', `No order ${input.orderId} of yours.`);
    if (order.status === 'cancelled') return order;
    if (order.status !== 'pending') throw new ConflictError('not_cancellable', `Order ${order.id} is ${order.status}; only pending orders can be cancelled.`);
    const at = deps.clock.now();
    const cancelled = (await repos.orders.markCancelled(order.id, at))!;
    if (order.couponId) await releaseCoupon(repos, order.id, input.reason, { actor: `follower:${input.followerId}`, at });
    await repos.audit.record({ actor: `follower:${input.followerId}`, action: 'order.cancelled', subjectType: 'order', subjectId: order.id, details: { reason: input.reason } });
    return cancelled;
  });
}
