import { dialogText } from '../dialog/dialog-text.js';
import type { Locale } from '../followers/follower.js';
import type { Repositories } from '../ports/index.js';

export type CheckoutVerdict = { ok: true } | { ok: false; message: string };

/** A platform's last question before it takes the money (Telegram `pre_checkout_query`). */
export interface CheckoutQuery {
  /** The payer's account on the platform. */
  payerExternalId: string;
  locale?: Locale;
  orderId?: string;
  courseId?: string;
  currency: string;
  totalAmount: number;
}

/**
 * Checks a checkout query against our records before the platform takes the money: the order
 * exists and is pending, it belongs to this payer, the course is on sale, the amount and currency
 * match the order and the course's current Stars price (before the order's coupon), and the course is not owned. A refusal
 * carries the sentence the payer sees, in their language.
 *
 * @example
 * const verdict = await reviewCheckout(repos, { payerExternalId: '42', orderId, courseId, currency: 'XTR', totalAmount: 150 });
 */
export async function reviewCheckout(repos: Pick<Repositories, 'orders' | 'followers' | 'courses' | 'entitlements'>, query: CheckoutQuery): Promise<CheckoutVerdict> {
  const refusal = dialogText(query.locale ?? 'zh-CN').checkoutRefused;
  const refuse = (key: keyof typeof refusal): CheckoutVerdict => ({ ok: false, message: refusal[key] });
  if (!query.orderId) return refuse('unknown');
  const order = await repos.orders.findById(query.orderId);
  if (!order || order.courseId !== query.courseId) return refuse('unknown');
  if (order.status !== 'pending') return refuse('notPending');
  const payer = await repos.followers.findByIdentity('telegram', query.payerExternalId);
  if (!payer || payer.id !== order.followerId) return refuse('payer');
  const course = await repos.courses.findById(order.courseId);
  if (!course || course.status !== 'on_sale') return refuse('notOnSale');
  if (query.currency !== 'XTR' || order.currency !== 'XTR' || query.totalAmount !== order.amountMinor || course.priceStars !== (order.originalAmountMinor ?? order.amountMinor)) return refuse('price');
  if ((await repos.entitlements.ownedCourseIds(order.followerId)).has(course.id)) return refuse('owned');
  return { ok: true };
}

/** The sentence for a checkout that could not be reviewed in time. */
export function checkoutTryAgain(locale: Locale | undefined): string {
  return dialogText(locale ?? 'zh-CN').checkoutRefused.tryAgain;
}
