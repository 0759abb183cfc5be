import { ConflictError, NotFoundError } from '../errors.js';
import type { Platform } from '../events/event-types.js';
import type { Clock, PaymentGateway, UnitOfWork } from '../ports/index.js';
import type { RiskMonitor } from '../risk/risk-monitor.js';
import type { Order } from './order.js';
import { releaseCoupon } from '../commerce/reserve-coupon.js';
import { cancelReferralRewards } from '../referrals/reward-referral.js';

/**
 * Refunds a paid order: asks the provider first (Telegram `refundStarPayment`, WeChat Pay refund),
 * then, in one transaction, marks the order refunded, revokes the course and records a refund
 * event. A provider refusal leaves everything as it was; refunding twice is refused.
 *
 * The provider is called outside the transaction: a network call must not hold a row lock (or,
 * on embedded PGlite, the only connection) while it waits, and the gateway may itself need the
 * database. Two concurrent refunds of one order both reach the provider, which refuses the
 * second (its refunds are keyed on the charge); only one of them can mark the order refunded.
 *
 * @example
 * const order = await refundOrder({ uow, clock, gateways }, { orderId, actor: 'admin:alice', reason: 'requested by follower' });
 */
export async function refundOrder(
  deps: { uow: UnitOfWork; clock: Clock; gateways: ReadonlyMap<string, PaymentGateway>; risk?: RiskMonitor },
  input: { orderId: string; actor: string; reason: string },
): Promise<Order> {
  const order = await deps.uow.run((repos) => repos.orders.findById(input.orderId));
  if (!order) throw new NotFoundError('order_not_found', `No order ${input.orderId}.`);
  if (order.status !== 'paid') throw new ConflictError('not_refundable', `Order ${order.id} is ${order.status}; only paid orders can be refunded.`);
  const gateway = deps.gateways.get(order.provider);
  if (!gateway && order.provider !== 'manual') {
    throw new ConflictError('provider_unavailable', `The ${order.provider} provider is not configured here, so the money cannot be returned.`);
  }
  const refund = gateway ? await gateway.refund(order, input.reason) : { refundId: `manual:${order.id}` };

  const refunded = await deps.uow.run(async (repos) => {
    const current = await repos.orders.findByIdForUpdate(order.id);
    if (current?.status !== 'paid') throw new ConflictError('not_refundable', `Order ${order.id} was refunded meanwhile.`);
    const at = deps.clock.now();
    const refunded = await repos.orders.markRefunded(order.id, at);
    await repos.orders.revokeEntitlement(order.followerId, order.courseId, at);
    const platform: Platform = order.provider === 'telegram_stars' ? 'telegram' : order.provider === 'manual' ? 'api' : 'miniprogram';
    await repos.events.append([
      {
        followerId: order.followerId,
        kind: 'refund',
        platform,
        externalId: `refund:${order.provider}:${refund.refundId}`,
        courseId: order.courseId,
        payload: { orderId: order.id, amountMinor: order.amountMinor, currency: order.currency, reason: input.reason },
        terms: [],
        occurredAt: at,
      },
    ]);
    if (order.couponId) await releaseCoupon(repos, order.id, 'refunded', { actor: input.actor, at });
    await cancelReferralRewards(repos, order.id, { actor: input.actor, at });
    await repos.audit.record({ actor: input.actor, action: 'order.refunded', subjectType: 'order', subjectId: order.id, details: { refundId: refund.refundId, reason: input.reason } });
    return refunded;
  });
  // Pay, then refund, again and again is a risk signal; the refund event is written above, not through recordEvents.
  deps.risk?.observe({ followerId: order.followerId, kind: 'refund', courseId: order.courseId, occurredAt: refunded.refundedAt ?? deps.clock.now() });
  return refunded;
}
