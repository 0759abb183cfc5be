import { isEnrolmentOpen, type Currency } from '../catalog/course.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Clock, UnitOfWork } from '../ports/index.js';
import type { Order, PaymentProvider } from './order.js';

/** A pending order older than this is not reused; a new one is created. */
export const OPEN_ORDER_REUSE_MS = 30 * 60_000;

export interface CreatePendingOrderInput {
  followerId: string;
  courseId: string;
  provider: PaymentProvider;
}

/** Telegram Stars are paid in XTR; every other provider charges the course's own price. */
function priceFor(course: { priceMinor: number; currency: Currency; priceStars: number | null }, provider: PaymentProvider) {
  if (provider === 'telegram_stars') {
    if (course.priceStars === null) throw new ValidationError('not_sold_in_stars', 'This course has no price in Telegram Stars.');
    return { amountMinor: course.priceStars, currency: 'XTR' as const };
  }
  return { amountMinor: course.priceMinor, currency: course.currency };
}

/**
 * Opens an order for a course the follower does not own yet, at the course's current price for the
 * provider. Asking again within 30 minutes returns the same pending order (buttons get tapped twice).
 *
 * @example
 * const { order, isNew } = await createPendingOrder({ uow, clock }, { followerId, courseId, provider: 'telegram_stars' });
 */
export async function createPendingOrder(deps: { uow: UnitOfWork; clock: Clock }, input: CreatePendingOrderInput): Promise<{ order: Order; isNew: boolean }> {
  return deps.uow.run(async (repos) => {
    const course = await repos.courses.findById(input.courseId);
    if (!course) throw new NotFoundError('course_not_found', `No course ${input.courseId}.`);
    if (course.status !== 'on_sale') throw new ConflictError('course_not_on_sale', `"${course.titleEn}" is not on sale.`);
    if (!isEnrolmentOpen(course, deps.clock.now())) throw new ConflictError('enrolment_closed', `Enrolment in the "${course.titleEn}" cohort has closed.`);
    if (!(await repos.followers.findById(input.followerId))) throw new NotFoundError('follower_not_found', `No follower ${input.followerId}.`);
    if ((await repos.entitlements.ownedCourseIds(input.followerId)).has(course.id)) {
      throw new ConflictError('already_owned', 'The follower already owns this course.');
    }
    const price = priceFor(course, input.provider);
    const since = new Date(deps.clock.now().getTime() - OPEN_ORDER_REUSE_MS);
    const open = await repos.orders.findOpen(input.followerId, course.id, input.provider, since);
    if (open && open.amountMinor === price.amountMinor && open.currency === price.currency) return { order: open, isNew: false };
    const order = await repos.orders.create({ followerId: input.followerId, courseId: course.id, provider: input.provider, ...price });
    return { order, isNew: true };
  });
}
