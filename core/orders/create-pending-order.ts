import { isEnrolmentOpen, type Course, type Currency, type Money } from '../catalog/course.js';
import { CouponRefusedError } from '../commerce/coupon.js';
import { bestAutomaticPrice, quoteCoupon, type CouponQuote } from '../commerce/quote-coupon.js';
import { reserveCoupon } from '../commerce/reserve-coupon.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Clock, UnitOfWork } from '../ports/index.js';
import type { Repositories } from '../ports/repositories.js';
import type { Order, PaymentProvider } from './order.js';

/**
 * A pending order older than this is not reused; a new one is created. A coupon reserved by an
 * order is held as long (then it counts against no limit, and a payment still honours it).
 */
export const OPEN_ORDER_REUSE_MS = 30 * 60_000;

export interface CreatePendingOrderInput {
  followerId: string;
  courseId: string;
  provider: PaymentProvider;
  /** A coupon code the follower typed or tapped; refused codes throw {@link CouponRefusedError}. */
  couponCode?: string;
}

/** Telegram Stars are paid in XTR; every other provider charges the course's own price. */
export function listPrice(course: { priceMinor: number; currency: Currency; priceStars: number | null }, provider: PaymentProvider): Money {
  if (provider === 'telegram_stars') {
    if (course.priceStars === null) throw new ValidationError('not_sold_in_stars', 'This course has no price in Telegram Stars.');
    return { amountMinor: course.priceStars, currency: 'XTR' as const };
  }
  return { amountMinor: course.priceMinor, currency: course.currency };
}

/**
 * The price a follower pays for a course through a provider: with a code, the coupon's price (or
 * its refusal); without, the best limited-time price running, else the list price.
 *
 * @example
 * const quote = await priceForFollower(repos, { course, followerId, provider: 'telegram_stars', couponCode: 'SAVE20', now });
 */
export async function priceForFollower(
  repos: Pick<Repositories, 'coupons'>,
  input: { course: Course; followerId: string; provider: PaymentProvider; couponCode?: string; now: Date },
): Promise<{ original: Money; quote?: CouponQuote }> {
  const original = listPrice(input.course, input.provider);
  if (input.couponCode) return { original, quote: await quoteCoupon(repos, { code: input.couponCode, followerId: input.followerId, course: input.course, original, now: input.now }) };
  const automatic = await bestAutomaticPrice(repos, { followerId: input.followerId, course: input.course, original, now: input.now });
  return automatic ? { original, quote: automatic } : { original };
}

/**
 * Opens an order for a course the follower does not own yet, at the course's current price for the
 * provider, less a coupon (typed) or a limited-time price (automatic); the coupon is reserved for
 * the order in the same transaction. Asking again within 30 minutes at the same price returns the
 * same pending order (buttons get tapped twice).
 *
 * @example
 * const { order, isNew } = await createPendingOrder({ uow, clock }, { followerId, courseId, provider: 'telegram_stars', couponCode: 'SAVE20' });
 */
export async function createPendingOrder(deps: { uow: UnitOfWork; clock: Clock }, input: CreatePendingOrderInput): Promise<{ order: Order; isNew: boolean }> {
  return deps.uow.run(async (repos) => {
    const now = deps.clock.now();
    const course = await repos.courses.findById(input.courseId);
    if (!course) throw new NotFoundError('course_not_found', `No course ${input.courseId}.`);
    if (course.status !== 'on_sale') throw new ConflictError('course_not_on_sale', `"${course.titleEn}" is not on sale.`);
    if (!isEnrolmentOpen(course, now)) throw new ConflictError('enrolment_closed', `Enrolment in the "${course.titleEn}" cohort has closed.`);
    if (!(await repos.followers.findById(input.followerId))) throw new NotFoundError('follower_not_found', `No follower ${input.followerId}.`);
    if ((await repos.entitlements.ownedCourseIds(input.followerId)).has(course.id)) {
      throw new ConflictError('already_owned', 'The follower already owns this course.');
    }
    const { original, quote } = await priceForFollower(repos, { course, followerId: input.followerId, provider: input.provider, now, ...(input.couponCode ? { couponCode: input.couponCode } : {}) });
    if (quote && !quote.ok) throw new CouponRefusedError(quote.reason, quote.code);
    const price = quote?.ok ? quote.price : original;
    const couponId = quote?.ok ? quote.coupon.id : null;
    const since = new Date(now.getTime() - OPEN_ORDER_REUSE_MS);
    const open = await repos.orders.findOpen(input.followerId, course.id, input.provider, since);
    if (open && open.amountMinor === price.amountMinor && open.currency === price.currency && open.couponId === couponId) return { order: open, isNew: false };
    const order = await repos.orders.create({
      followerId: input.followerId,
      courseId: course.id,
      provider: input.provider,
      ...price,
      couponId,
      originalAmountMinor: quote?.ok ? original.amountMinor : null,
    });
    if (quote?.ok) await reserveCoupon(repos, quote, { orderId: order.id, followerId: input.followerId, reservedUntil: new Date(now.getTime() + OPEN_ORDER_REUSE_MS), now });
    return { order, isNew: true };
  });
}
