import type { Currency, Money } from '../catalog/course.js';
import { ConflictError } from '../errors.js';

/**
 * How a coupon is used: `single`, one shared code anyone may type; `per_follower`, each follower
 * gets their own code (issued for a broadcast or a rule) that only they can use; `automatic`, a
 * limited-time price that applies without a code until the coupon ends.
 */
export const COUPON_CODE_KINDS = ['single', 'per_follower', 'automatic'] as const;
export type CouponCodeKind = (typeof COUPON_CODE_KINDS)[number];

/** A discount: a percentage or a fixed amount off, for one course or all of a creator's. */
export interface Coupon {
  id: string;
  /** Null: every course of `creatorId` (every course when that is null too, admins only). */
  courseId: string | null;
  creatorId: string | null;
  code: string;
  /** What the creator calls it, shown in reports. */
  name: string;
  codeKind: CouponCodeKind;
  percentOff: number | null;
  /** A fixed amount off in `currency`'s minor units (fen). */
  amountOffMinor: number | null;
  currency: Currency | null;
  /** The fixed amount off on Telegram, in Stars; without it the yuan amount is converted at the course's own Stars-to-yuan ratio. */
  amountOffStars: number | null;
  validFrom: Date | null;
  validUntil: Date | null;
  /** Redemptions in total (null: no limit). */
  maxRedemptions: number | null;
  perFollowerLimit: number;
  /** Paid redemptions, net of refunds. */
  redeemedCount: number;
  isActive: boolean;
  createdAt: Date;
}

/** Why a coupon cannot be used; each has a sentence in both languages ({@link couponRefusalText}). */
export const COUPON_REFUSALS = ['unknown', 'inactive', 'not_started', 'expired', 'exhausted', 'used_up', 'not_for_course', 'not_yours', 'currency'] as const;
export type CouponRefusal = (typeof COUPON_REFUSALS)[number];

const REFUSAL_TEXT: Record<CouponRefusal, { zh: (code: string) => string; en: (code: string) => string }> = {
  unknown: { zh: (c) => `没有找到优惠券「${c}」，请检查券码。`, en: (c) => `There is no coupon "${c}"; please check the code.` },
  inactive: { zh: (c) => `优惠券「${c}」已停用。`, en: (c) => `The coupon "${c}" has been switched off.` },
  not_started: { zh: (c) => `优惠券「${c}」还没到可以使用的时间。`, en: (c) => `The coupon "${c}" cannot be used yet.` },
  expired: { zh: (c) => `优惠券「${c}」已过期。`, en: (c) => `The coupon "${c}" has expired.` },
  exhausted: { zh: (c) => `优惠券「${c}」已经被领完了。`, en: (c) => `The coupon "${c}" has run out.` },
  used_up: { zh: (c) => `你已经用过优惠券「${c}」了，每人可用次数已满。`, en: (c) => `You have already used the coupon "${c}" as often as it allows.` },
  not_for_course: { zh: (c) => `优惠券「${c}」不适用于这门课程。`, en: (c) => `The coupon "${c}" does not apply to this course.` },
  not_yours: { zh: (c) => `优惠券「${c}」是发给其他人的专属券，不能使用。`, en: (c) => `The coupon "${c}" was issued to someone else and cannot be used here.` },
  currency: { zh: (c) => `优惠券「${c}」不能用于这种货币的价格。`, en: (c) => `The coupon "${c}" cannot be applied to a price in this currency.` },
};

/**
 * The sentence a follower reads when a coupon is refused, in their language.
 *
 * @example
 * couponRefusalText('expired', 'SAVE20', 'en') // 'The coupon "SAVE20" has expired.'
 */
export function couponRefusalText(reason: CouponRefusal, code: string, locale: string): string {
  const text = REFUSAL_TEXT[reason];
  return locale.startsWith('zh') ? text.zh(code) : text.en(code);
}

/** A coupon refused for an order; `code` is `coupon_<reason>`, `details` carry the reason and both sentences. */
export class CouponRefusedError extends ConflictError {
  constructor(readonly reason: CouponRefusal, couponCode: string) {
    super(`coupon_${reason}`, couponRefusalText(reason, couponCode, 'en'), { reason, code: couponCode, zh: couponRefusalText(reason, couponCode, 'zh-CN'), en: couponRefusalText(reason, couponCode, 'en') });
  }
}

/** Whether the coupon covers this course: its own course, or every course of its creator (of everyone for platform coupons). */
export function isCouponForCourse(coupon: Pick<Coupon, 'courseId' | 'creatorId'>, course: { id: string; creatorId: string | null }): boolean {
  if (coupon.courseId !== null) return coupon.courseId === course.id;
  return coupon.creatorId === null || coupon.creatorId === course.creatorId;
}

/** Why the coupon cannot be used at `now` regardless of who asks, or undefined. */
export function couponWindowRefusal(coupon: Pick<Coupon, 'isActive' | 'validFrom' | 'validUntil'>, now: Date): CouponRefusal | undefined {
  if (!coupon.isActive) return 'inactive';
  if (coupon.validFrom && now.getTime() < coupon.validFrom.getTime()) return 'not_started';
  if (coupon.validUntil && now.getTime() >= coupon.validUntil.getTime()) return 'expired';
  return undefined;
}

/** A price after a coupon: never below one minor unit (1 fen, 1 Star), rounded in the follower's favour. */
export type DiscountedPrice = { ok: true; price: Money; discountMinor: number } | { ok: false; reason: 'currency' };

/**
 * The price a coupon leaves to pay. A percentage rounds the price down (in the follower's
 * favour); a fixed amount is taken in its own currency, or in Stars on Telegram (its Stars amount,
 * else the yuan amount at the course's own Stars-per-yuan ratio, rounded up). Nothing is ever
 * cheaper than 1 fen or 1 Star.
 *
 * @example
 * discountedPrice({ percentOff: 15, … }, { amountMinor: 99, currency: 'XTR' }, course) // { ok: true, price: { amountMinor: 84, currency: 'XTR' }, discountMinor: 15 }
 */
export function discountedPrice(
  coupon: Pick<Coupon, 'percentOff' | 'amountOffMinor' | 'currency' | 'amountOffStars'>,
  price: Money,
  course: { priceMinor: number; currency: Currency; priceStars: number | null },
): DiscountedPrice {
  const original = price.amountMinor;
  let amount: number;
  if (coupon.percentOff !== null) {
    amount = Math.floor((original * (100 - coupon.percentOff)) / 100);
  } else {
    const off = price.currency === 'XTR' ? starsOff(coupon, course) : coupon.currency === price.currency ? coupon.amountOffMinor : null;
    if (off === null) return { ok: false, reason: 'currency' };
    amount = original - off;
  }
  const paid = Math.min(original, Math.max(1, amount));
  return { ok: true, price: { amountMinor: paid, currency: price.currency }, discountMinor: original - paid };
}

function starsOff(coupon: Pick<Coupon, 'amountOffMinor' | 'currency' | 'amountOffStars'>, course: { priceMinor: number; currency: Currency; priceStars: number | null }): number | null {
  if (coupon.amountOffStars !== null) return coupon.amountOffStars;
  if (coupon.amountOffMinor === null || coupon.currency !== course.currency || course.priceStars === null || course.priceMinor <= 0) return null;
  return Math.ceil((coupon.amountOffMinor * course.priceStars) / course.priceMinor);
}
