import { dialogText } from '../dialog/dialog-text.js';
import type { Locale } from '../followers/follower.js';
import type { Repositories } from '../ports/index.js';
import type { RiskMonitor } from '../risk/risk-monitor.js';
import { riskText } from '../risk/risk-text.js';

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
 * match the order and the course's current Stars price (before the order's coupon), the course is
 * not owned, and the payer is not under risk review (then the order is held for review). A refusal
 * carries the sentence the payer sees, in their language.
 *
 * @example
 * const verdict = await reviewCheckout(repos, { payerExternalId: '42', orderId, courseId, currency: 'XTR', totalAmount: 150 });
 */
export async function reviewCheckout(
  repos: Pick<Repositories, 'orders' | 'followers' | 'courses' | 'entitlements'>,
  query: CheckoutQuery,
  risk?: Pick<RiskMonitor, 'isUnderReview' | 'holdCheckout'>,
): Promise<CheckoutVerdict> {
  const refusal = dialogText(query.locale ?? 'zh-CN').checkoutRefused;
  const refuse = (key: keyof typeof refusal): CheckoutVerdict => ({ ok: false, message: refusal[key] });
  if (!query.orderId) return refuse('unknown');
  const order = await repos.orders.findById(query.orderId);
  if (!order || order.courseId !== query.courseId) return refuse('unknown');
  if (order.status !== 'pending') return refuse('notPending');
  const payer = await repos.followers.findByIdentity('telegram', query.payerExternalId);
  if (!payer || payer.id !== order.followerId) return refuse('payer');
  // Flagged after the invoice went out: the money is not taken, the order waits for review.
  if (risk?.isUnderReview(payer.id)) {
    await risk.holdCheckout(order.id, payer.id);
    return { ok: false, message: riskText(query.locale ?? payer.locale).orderUnderReview };
  }
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
