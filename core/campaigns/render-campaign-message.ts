import { courseTitle, formatMoney, type Course, type Money } from '../catalog/course.js';
import { ACTIONS, dialogText, reasonText, toCourseCard, type CourseCard, type Reply } from '../dialog/index.js';
import type { Platform } from '../events/event-types.js';
import type { Locale } from '../followers/follower.js';
import { withOptOutLine } from '../guards/index.js';
import type { MessageVariant } from './campaign-types.js';
import type { CrossSellReason } from './cross-sell.js';

const TITLE_SEPARATOR: Record<Locale, string> = { en: ', ', 'zh-CN': '、' };

/**
 * Whether a Buy button on this platform charges Telegram Stars: the Telegram bot takes payment in
 * Stars (its dialog's checkout provider is `telegram_stars`), so its cards show the Stars price;
 * WeChat sells through a link to the mini-program, priced in CNY.
 */
export const isStarsPlatform = (platform: Platform): boolean => platform === 'telegram';

/** What one follower's message is rendered with. */
export interface CampaignMessageContext {
  locale: Locale;
  /** The platform the message goes to: it decides the price and Buy button the card shows. */
  platform: Platform;
  /** The course on the card (fixed, or the follower's own pick), if any. */
  course: Course | null;
  /** Why a cross-sell offer was made (association rule or co-purchase counts). */
  crossSell?: CrossSellReason | null;
  /** The recommender's reason for the follower's pick, already in their language (reasonText). */
  reason?: string | null;
  /** The variant's coupon as this follower may use it on the card's course: its code and the price after it. */
  coupon?: { code: string; price: Money } | null;
}

/**
 * Renders one variant for one follower: the text in their language (falling back to the other),
 * `{course}` replaced by the course title and `{price}` by its price on this platform, a course card
 * when there is a course (the same card the chat shows: Stars price and a Stars Buy button on
 * Telegram, the CNY price on WeChat), and the opt-out line every marketing message carries.
 * `{reason}` says why the course was picked for the follower. A cross-sell message also fills in
 * `{purchased}` (the titles of the courses bought first), `{confidence}` and `{support}` (as
 * percentages) and `{lift}`. A variable with nothing to fill it stays as written.
 *
 * @example
 * renderCampaignMessage(variant, { locale: 'en', platform: 'telegram', course }); // [{ type: 'text', … }, { type: 'course_cards', … }, { type: 'text', text: 'Reply /stop to unsubscribe' }]
 * // 'Picked for you: {course} ({reason})' → 'Picked for you: Data viz (Because you are into data analysis)'
 * renderCampaignMessage(variant, { locale: 'en', platform: 'wechat', course, reason: 'Because you are into data analysis' });
 */
export function renderCampaignMessage(variant: MessageVariant, context: CampaignMessageContext): Reply[] {
  const { locale, course, crossSell = null } = context;
  const template = variant.text[locale] ?? variant.text['zh-CN'] ?? variant.text.en ?? '';
  const regular = course ? toCourseCard(course, { locale, isStarsPlatform: isStarsPlatform(context.platform), isOwned: false }) : null;
  const card = regular && context.coupon ? withCoupon(regular, context.coupon, locale) : regular;
  const reason = context.reason ?? (crossSell ? crossSellReasonText(crossSell, locale) : null);
  const values = new Map<string, string>();
  if (course && card) {
    values.set('course', courseTitle(course, locale));
    values.set('price', formatMoney(card.price));
  }
  if (reason) values.set('reason', reason);
  if (context.coupon) values.set('coupon', context.coupon.code);
  if (crossSell) {
    values.set('purchased', crossSell.purchased.map((c) => courseTitle(c, locale)).join(TITLE_SEPARATOR[locale]));
    values.set('confidence', `${Math.round(crossSell.confidence * 100)}%`);
    values.set('support', `${Math.round(crossSell.support * 100)}%`);
    values.set('lift', crossSell.lift.toFixed(1));
  }
  const filled = template.replace(/\{(course|price|reason|purchased|confidence|support|lift|coupon)\}/g, (whole, name: string) => values.get(name) ?? whole);
  // The price before and after the coupon, said once under the text whatever the template says.
  const text = regular && card && context.coupon ? `${filled}\n${dialogText(locale).couponOffer(formatMoney(regular.price), context.coupon.code, formatMoney(card.price))}` : filled;
  const replies: Reply[] = [{ type: 'text', text }];
  if (card) replies.push({ type: 'course_cards', cards: [reason ? { ...card, reason } : card] });
  return withOptOutLine(replies, locale);
}

/** The card at the coupon's price, its Buy button redeeming the coupon for this course (the `cpn:` path: the confirmation card with both prices). */
function withCoupon(card: CourseCard, coupon: { code: string; price: Money }, locale: Locale): CourseCard {
  const buy = dialogText(locale).buttons.buy(formatMoney(coupon.price));
  return { ...card, price: coupon.price, buttons: card.buttons.map((b) => ('action' in b && b.action === ACTIONS.buy(card.courseId) ? { label: buy, action: ACTIONS.coupon(coupon.code, card.courseId) } : b)) };
}

/** "People who bought X also bought this", in the follower's language, from a cross-sell reason. */
function crossSellReasonText(reason: CrossSellReason, locale: Locale): string | null {
  const first = reason.purchased[0];
  if (!first) return null;
  return reasonText({ code: 'bought_together', params: { courseId: first.courseId } }, locale, () => courseTitle(first, locale));
}
