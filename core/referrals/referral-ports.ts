import type { Currency } from '../catalog/course.js';
import type { CommissionEntry, Distributor, PayoutLine, ReferralChannel, ReferralProgram } from './referral.js';

/** A reward coupon to create: one per-follower coupon, one redemption, its code issued to the referrer. */
export interface NewRewardCoupon {
  creatorId: string;
  referrerId: string;
  code: string;
  percentOff: number | null;
  amountOffMinor: number | null;
  currency: Currency | null;
  amountOffStars: number | null;
  validUntil: Date;
}

/**
 * Referral codes, who referred whom, programmes, distributors and the commission ledger
 * (models/migrations/0022_referrals.sql).
 *
 * @example
 * const code = await referrals.codeOf(followerId, newReferralCode()); // the same code every time
 * const inserted = await referrals.attribute({ referredId, referrerId, code, channel: 'telegram', at });
 */
export interface ReferralRepository {
  /** The follower's code, stored with `candidate` on first ask. */
  codeOf(followerId: string, candidate: string): Promise<string>;
  followerOfCode(code: string): Promise<string | null>;
  /** Records the referral unless the follower was referred before; true when this call recorded it. */
  attribute(referral: { referredId: string; referrerId: string; code: string; channel: ReferralChannel; at: Date }): Promise<boolean>;
  referrerOf(referredId: string): Promise<{ referrerId: string; code: string } | null>;
  /** Keeps the device and unionid keys a login reported (idempotent). */
  addLinkKeys(followerId: string, keys: readonly string[], at: Date): Promise<void>;
  /** A key both followers share (`device`, `unionid`), or null when they share none. */
  sharedLinkKind(a: string, b: string): Promise<string | null>;
  programOf(creatorId: string): Promise<ReferralProgram | null>;
  putProgram(program: ReferralProgram): Promise<ReferralProgram>;
  distributorOf(creatorId: string, followerId: string): Promise<Distributor | null>;
  putDistributor(distributor: Distributor): Promise<Distributor>;
  listDistributors(filter: { creatorId?: string }): Promise<Array<Distributor & { displayName: string | null; referred: number }>>;
  /** Records a referred follower's paid order once; false when it was recorded before. */
  recordConversion(conversion: { orderId: string; referrerId: string; referredId: string; creatorId: string | null; reward: 'coupon' | 'commission' | 'none'; rewardCouponId: string | null; at: Date }): Promise<boolean>;
  createRewardCoupon(coupon: NewRewardCoupon): Promise<{ couponId: string; code: string }>;
  insertCommission(entry: Omit<CommissionEntry, 'id' | 'status'>): Promise<CommissionEntry>;
  /** A refunded order: its commission (pending or payable) is cancelled and its unused reward coupon switched off. */
  cancelForOrder(orderId: string, at: Date): Promise<{ commission: CommissionEntry | null; rewardCouponId: string | null }>;
  /** pending → payable for entries whose refund window ended by `now` and whose order is still paid. */
  releasePayable(now: Date): Promise<CommissionEntry[]>;
  listCommissions(filter: { creatorId?: string; distributorFollowerId?: string; status?: CommissionEntry['status'] }): Promise<CommissionEntry[]>;
  payoutReport(filter: { creatorId?: string }): Promise<PayoutLine[]>;
  /** payable → paid_out for one distributor of one creator in one currency; the entries marked. */
  markPaidOut(input: { creatorId: string; distributorFollowerId: string; currency: Currency; reference: string; at: Date }): Promise<CommissionEntry[]>;
}
