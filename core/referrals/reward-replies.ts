import { formatMoney } from '../catalog/course.js';
import type { Reply } from '../dialog/reply.js';
import type { Locale } from '../followers/follower.js';
import { referralText } from './referral.js';
import type { ReferralReward } from './reward-referral.js';

/**
 * What the referrer reads when a friend they referred has paid: their reward coupon, or the
 * commission earned (pending), in their language.
 *
 * @example
 * referralRewardReplies({ kind: 'coupon', code: 'REFK7QM2XPA', percentOff: 10, … }, 'en') // [{ type: 'text', text: 'A friend you invited …' }]
 */
export function referralRewardReplies(reward: ReferralReward, locale: Locale): Reply[] {
  const text = referralText(locale);
  if (reward.kind === 'commission') return [{ type: 'text', text: text.commission(formatMoney({ amountMinor: reward.commissionMinor, currency: reward.currency })) }];
  const offers = [
    ...(reward.percentOff !== null ? [text.percentOff(reward.percentOff)] : []),
    ...(reward.amountOffMinor !== null && reward.currency ? [text.amountOff(formatMoney({ amountMinor: reward.amountOffMinor, currency: reward.currency }))] : []),
    ...(reward.amountOffStars !== null ? [text.amountOff(formatMoney({ amountMinor: reward.amountOffStars, currency: 'XTR' }))] : []),
  ];
  return [{ type: 'text', text: text.rewardCoupon(reward.code, offers.join(' / '), reward.validUntil.toISOString().slice(0, 10)) }];
}
