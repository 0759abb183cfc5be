import type { Coupon } from './coupon.js';

/** Why a reservation ended without a payment, or a paid redemption was given back. */
export type RedemptionRelease = 'expired' | 'payment_failed' | 'cancelled' | 'refunded';

export interface NewReservation {
  couponId: string;
  code: string;
  followerId: string;
  orderId: string;
  originalAmountMinor: number;
  discountMinor: number;
  currency: string;
  reservedUntil: Date;
}

/**
 * Coupons as orders use them: found by the code a follower types, reserved by an order, redeemed
 * once it is paid, released when it is not. Limits count redeemed rows and running reservations.
 *
 * @example
 * const found = await coupons.findByCode('SAVE20'); // [{ coupon, ownerFollowerId: null }]
 * await coupons.lock(coupon.id);
 * const { total, byFollower } = await coupons.countInUse(coupon.id, followerId, now);
 */
export interface CouponLedger {
  /** The coupons a typed code names: shared codes (all-course or per course) and a follower's own code with its owner. */
  findByCode(code: string): Promise<Array<{ coupon: Coupon; ownerFollowerId: string | null }>>;
  /** Active automatic coupons (limited-time prices) that may cover this course. */
  automaticFor(course: { id: string; creatorId: string | null }): Promise<Coupon[]>;
  /** Locks the coupon row for the rest of the transaction, so limits are counted once at a time. */
  lock(couponId: string): Promise<void>;
  countInUse(couponId: string, followerId: string, now: Date): Promise<{ total: number; byFollower: number }>;
  reserve(reservation: NewReservation): Promise<void>;
  /** reserved → redeemed (and the coupon's count up); null when the order had no reservation left to redeem. */
  redeem(orderId: string, at: Date): Promise<{ couponId: string; code: string } | null>;
  /** Ends the order's reservation, or gives back its redemption (`refunded`); null when there was nothing to release. */
  release(orderId: string, reason: RedemptionRelease, at: Date): Promise<{ couponId: string; code: string } | null>;
  /** Releases this coupon's reservations that ran out before `now` (as `expired`); returns their orders. */
  releaseLapsed(couponId: string, now: Date): Promise<Array<{ orderId: string; code: string }>>;
  /** The follower's own code of a per-follower coupon, issued once (the same code every time). */
  issueFollowerCode(couponId: string, followerId: string, code: string): Promise<string>;
}
