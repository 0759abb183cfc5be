import type { DialogDeps, Locale } from '../../core/index.js';

export type PreCheckoutVerdict = { ok: true } | { ok: false; message: string };

const MESSAGES = {
  unknown: { 'zh-CN': '找不到这笔订单，请重新点击购买。', en: 'This order is unknown; please tap Buy again.' },
  notPending: { 'zh-CN': '这笔订单已处理过了。', en: 'This order has already been handled.' },
  notOnSale: { 'zh-CN': '这门课程目前不在售。', en: 'This course is not on sale right now.' },
  price: { 'zh-CN': '价格已变动，请重新点击购买。', en: 'The price has changed; please tap Buy again.' },
  owned: { 'zh-CN': '你已经拥有这门课程了。', en: 'You already own this course.' },
  payer: { 'zh-CN': '这张账单不是发给你的。', en: 'This invoice was issued to someone else.' },
} as const;

/**
 * Checks a pre_checkout_query against our records before Telegram takes the Stars: the order
 * exists and is pending, it belongs to this Telegram user, the course is on sale, the amount and
 * currency match the order and the course's current Stars price, and the course is not owned.
 *
 * @example
 * const verdict = await validatePreCheckout(dialogDeps, { telegramUserId: '42', orderId, courseId, currency: 'XTR', totalAmount: 150 });
 */
export async function validatePreCheckout(
  deps: Pick<DialogDeps, 'repos'>,
  query: { telegramUserId: string; locale?: Locale; orderId?: string; courseId?: string; currency: string; totalAmount: number },
): Promise<PreCheckoutVerdict> {
  const locale: Locale = query.locale ?? 'zh-CN';
  const refuse = (key: keyof typeof MESSAGES): PreCheckoutVerdict => ({ ok: false, message: MESSAGES[key][locale] });
  if (!query.orderId) return refuse('unknown');
  const order = await deps.repos.orders.findById(query.orderId);
  if (!order || order.courseId !== query.courseId) return refuse('unknown');
  if (order.status !== 'pending') return refuse('notPending');
  const payer = await deps.repos.followers.findByIdentity('telegram', query.telegramUserId);
  if (!payer || payer.id !== order.followerId) return refuse('payer');
  const course = await deps.repos.courses.findById(order.courseId);
  if (!course || course.status !== 'on_sale') return refuse('notOnSale');
  if (query.currency !== 'XTR' || order.currency !== 'XTR' || query.totalAmount !== order.amountMinor || course.priceStars !== order.amountMinor) return refuse('price');
  if ((await deps.repos.entitlements.ownedCourseIds(order.followerId)).has(course.id)) return refuse('owned');
  return { ok: true };
}
