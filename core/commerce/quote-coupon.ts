import type { Course, Money } from '../catalog/course.js';
import type { Repositories } from '../ports/repositories.js';
import { couponWindowRefusal, discountedPrice, isCouponForCourse, type Coupon, type CouponRefusal } from './coupon.js';

/** A coupon applied to one course's price for one follower, or why it cannot be. */
export type CouponQuote =
  | { ok: true; coupon: Coupon; code: string; original: Money; price: Money; discountMinor: number }
  | { ok: false; code: string; reason: CouponRefusal };

/** Typed codes are read in upper case without spaces: "save20" is SAVE20. */
export function normalizeCouponCode(code: string): string {
  return code.trim().toUpperCase();
}

async function quoteOne(repos: Pick<Repositories, 'coupons'>, coupon: Coupon, code: string, followerId: string, original: Money, course: Course, now: Date): Promise<CouponQuote> {
  const closed = couponWindowRefusal(coupon, now);
  if (closed) return { ok: false, code, reason: closed };
  const { total, byFollower } = await repos.coupons.countInUse(coupon.id, followerId, now);
  if (coupon.maxRedemptions !== null && total >= coupon.maxRedemptions) return { ok: false, code, reason: 'exhausted' };
  if (byFollower >= coupon.perFollowerLimit) return { ok: false, code, reason: 'used_up' };
  const discounted = discountedPrice(coupon, original, course);
  if (!discounted.ok) return { ok: false, code, reason: discounted.reason };
  return { ok: true, coupon, code, original, price: discounted.price, discountMinor: discounted.discountMinor };
}

/**
 * What a typed code does to a course's price for this follower, without reserving anything: the
 * discounted price, or the reason it cannot be used (unknown, switched off, not yet or no longer
 * valid, run out, used up by this follower, another course, another follower's own code, a
 * currency it cannot discount). A course's own coupon wins over an all-course one with the same code.
 *
 * @example
 * const quote = await quoteCoupon(repos, { code: 'SAVE20', followerId, course, original: { amountMinor: 99, currency: 'XTR' }, now });
 */
export async function quoteCoupon(
  repos: Pick<Repositories, 'coupons'>,
  input: { code: string; followerId: string; course: Course; original: Money; now: Date },
): Promise<CouponQuote> {
  const code = normalizeCouponCode(input.code);
  const found = await repos.coupons.findByCode(code);
  if (found.length === 0) return { ok: false, code, reason: 'unknown' };
  const fitting = found.filter((f) => isCouponForCourse(f.coupon, input.course)).sort((a, b) => Number(b.coupon.courseId !== null) - Number(a.coupon.courseId !== null));
  const chosen = fitting[0];
  if (!chosen) return { ok: false, code, reason: 'not_for_course' };
  // A per-follower coupon's own code is a template: only the codes issued from it are redeemable.
  if (chosen.coupon.codeKind === 'per_follower' && chosen.ownerFollowerId !== input.followerId) return { ok: false, code, reason: 'not_yours' };
  return quoteOne(repos, chosen.coupon, code, input.followerId, input.original, input.course, input.now);
}

/**
 * The best limited-time price running for this course (an automatic coupon the follower may still
 * use), or undefined when none applies.
 *
 * @example
 * const offer = await bestAutomaticPrice(repos, { followerId, course, original, now });
 */
export async function bestAutomaticPrice(
  repos: Pick<Repositories, 'coupons'>,
  input: { followerId: string; course: Course; original: Money; now: Date },
): Promise<Extract<CouponQuote, { ok: true }> | undefined> {
  const candidates = (await repos.coupons.automaticFor(input.course)).filter((c) => isCouponForCourse(c, input.course));
  let best: Extract<CouponQuote, { ok: true }> | undefined;
  for (const coupon of candidates) {
    const quote = await quoteOne(repos, coupon, coupon.code, input.followerId, input.original, input.course, input.now);
    if (quote.ok && (!best || quote.price.amountMinor < best.price.amountMinor)) best = quote;
  }
  return best;
}
