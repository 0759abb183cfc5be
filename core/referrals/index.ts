export {
  COMMISSION_STATUSES, DEFAULT_REFUND_WINDOW_DAYS, REFERRAL_CHANNELS, commissionOf, miniProgramSharePath, referralCodeOf, referralText, telegramReferralLink,
  type CommissionEntry, type CommissionStatus, type Distributor, type PayoutLine, type ReferralAttribution, type ReferralChannel, type ReferralProgram, type ReferralRefusal,
} from './referral.js';
export type { NewRewardCoupon, ReferralRepository } from './referral-ports.js';
export { attributeReferral, NEW_FOLLOWER_HOURS } from './attribute-referral.js';
export { codeForFollower } from './referral-code.js';
export { cancelReferralRewards, rewardReferredPurchase, type ReferralReward } from './reward-referral.js';
export { markCommissionPaidOut, payoutReport, releasePayableCommissions } from './commissions.js';
export { decideDistributor, distributorSchema, referralProgramSchema, saveReferralProgram } from './manage-referrals.js';
export { referralRewardReplies } from './reward-replies.js';
