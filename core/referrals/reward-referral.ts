import type { Currency } from '../catalog/course.js';
import type { Order } from '../orders/order.js';
import type { Repositories } from '../ports/repositories.js';
import { commissionOf, DEFAULT_REFUND_WINDOW_DAYS, newReferralCode } from './referral.js';

const DAY_MS = 86_400_000;

/** What a referred follower's paid order earned their referrer (told to them in chat). */
export type ReferralReward =
  | {
      kind: 'coupon'; referrerId: string; code: string; percentOff: number | null; amountOffMinor: number | null; currency: Currency | null; amountOffStars: number | null; validUntil: Date;
    }
  | { kind: 'commission'; referrerId: string; commissionMinor: number; currency: Currency; payableAfter: Date };

type RewardRepos = Pick<Repositories, 'referrals' | 'courses' | 'audit'>;

/**
 * Attributes a paid order of a referred follower to their referrer, inside the payment's
 * transaction (so once per order): an approved distributor of the course's creator earns
 * commission (pending until the refund window has passed); any other referrer gets the creator's
 * reward coupon, when the programme offers one. Courses without a creator earn nothing. Audited.
 *
 * @example
 * const reward = await rewardReferredPurchase(repos, order, paidAt); // { kind: 'commission', … } or undefined
 */
export async function rewardReferredPurchase(repos: RewardRepos, order: Order, paidAt: Date): Promise<ReferralReward | undefined> {
  const referral = await repos.referrals.referrerOf(order.followerId);
  if (!referral) return undefined;
  const { referrerId } = referral;
  const creatorId = (await repos.courses.findById(order.courseId))?.creatorId ?? null;
  const conversion = { orderId: order.id, referrerId, referredId: order.followerId, creatorId, at: paidAt };
  const program = creatorId ? await repos.referrals.programOf(creatorId) : null;
  const distributor = creatorId ? await repos.referrals.distributorOf(creatorId, referrerId) : null;
  if (creatorId && distributor?.status === 'approved') {
    const payableAfter = new Date(paidAt.getTime() + (program?.refundWindowDays ?? DEFAULT_REFUND_WINDOW_DAYS) * DAY_MS);
    const entry = await repos.referrals.insertCommission({
      orderId: order.id, creatorId, distributorFollowerId: referrerId, orderAmountMinor: order.amountMinor, currency: order.currency,
      commissionBps: distributor.commissionBps, commissionMinor: commissionOf(order.amountMinor, distributor.commissionBps), payableAfter, createdAt: paidAt,
    });
    await repos.referrals.recordConversion({ ...conversion, reward: 'commission', rewardCouponId: null });
    await repos.audit.record({
      actor: 'system', action: 'commission.pending', subjectType: 'commission', subjectId: entry.id,
      details: {
        orderId: order.id, distributorFollowerId: referrerId, creatorId, commissionMinor: entry.commissionMinor, currency: entry.currency, commissionBps: entry.commissionBps,
        payableAfter: payableAfter.toISOString(),
      },
    });
    return { kind: 'commission', referrerId, commissionMinor: entry.commissionMinor, currency: entry.currency, payableAfter };
  }
  const hasReward = program?.isActive && (program.rewardPercentOff !== null || program.rewardAmountOffMinor !== null);
  if (!creatorId || !program || !hasReward) {
    await repos.referrals.recordConversion({ ...conversion, reward: 'none', rewardCouponId: null });
    return undefined;
  }
  const validUntil = new Date(paidAt.getTime() + program.rewardValidDays * DAY_MS);
  const coupon = await repos.referrals.createRewardCoupon({
    creatorId, referrerId, code: `REF${newReferralCode()}`, percentOff: program.rewardPercentOff, amountOffMinor: program.rewardAmountOffMinor,
    currency: program.rewardCurrency, amountOffStars: program.rewardAmountOffStars, validUntil,
  });
  await repos.referrals.recordConversion({ ...conversion, reward: 'coupon', rewardCouponId: coupon.couponId });
  await repos.audit.record({ actor: 'system', action: 'referral.rewarded', subjectType: 'coupon', subjectId: coupon.couponId, details: { orderId: order.id, referrerId, referredId: order.followerId, code: coupon.code, creatorId } });
  return {
    kind: 'coupon', referrerId, code: coupon.code, percentOff: program.rewardPercentOff, amountOffMinor: program.rewardAmountOffMinor, currency: program.rewardCurrency,
    amountOffStars: program.rewardAmountOffStars, validUntil,
  };
}

/**
 * A refunded order gives back what its referral earned, inside the refund's transaction: pending
 * or payable commission is cancelled, an unused reward coupon switched off. Commission already
 * paid out stays as it is (the audit entry says so). Audited.
 *
 * @example
 * await cancelReferralRewards(repos, order.id, { actor: 'account:…', at });
 */
export async function cancelReferralRewards(repos: Pick<Repositories, 'referrals' | 'audit'>, orderId: string, by: { actor: string; at: Date }): Promise<void> {
  const { commission, rewardCouponId } = await repos.referrals.cancelForOrder(orderId, by.at);
  if (commission) {
    await repos.audit.record({
      actor: by.actor, action: commission.status === 'cancelled' ? 'commission.cancelled' : 'commission.refunded_after_payout', subjectType: 'commission', subjectId: commission.id,
      details: { orderId, distributorFollowerId: commission.distributorFollowerId, commissionMinor: commission.commissionMinor, currency: commission.currency },
    });
  }
  if (rewardCouponId) await repos.audit.record({ actor: by.actor, action: 'referral.reward_revoked', subjectType: 'coupon', subjectId: rewardCouponId, details: { orderId } });
}
