import { courseTitle, formatMoney, type Course, type Money } from '../catalog/course.js';
import type { Locale } from '../followers/follower.js';
import { dialogText } from './dialog-text.js';
import { ACTIONS } from './intent.js';
import type { Button, CourseCard } from './reply.js';

/** The price a follower pays on this platform: Stars on Telegram when the course has them. */
export function displayPrice(course: Course, isStarsPlatform: boolean): Money {
  if (isStarsPlatform && course.priceStars !== null) return { amountMinor: course.priceStars, currency: 'XTR' };
  return { amountMinor: course.priceMinor, currency: course.currency };
}

const MAX_DESCRIPTION = 180;

/**
 * A course as the chat shows it, with Details and Buy buttons (no Buy when owned or not on sale).
 *
 * @example
 * toCourseCard(course, { locale: 'en', isStarsPlatform: true, isOwned: false })
 */
export function toCourseCard(
  course: Course,
  options: { locale: Locale; isStarsPlatform: boolean; isOwned: boolean; reason?: string; isFullDescription?: boolean },
): CourseCard {
  const text = dialogText(options.locale);
  const price = displayPrice(course, options.isStarsPlatform);
  const fullDescription = options.locale === 'en' ? course.descriptionEn : course.descriptionZh;
  const description =
    options.isFullDescription || fullDescription.length <= MAX_DESCRIPTION ? fullDescription : `${fullDescription.slice(0, MAX_DESCRIPTION - 1)}…`;
  const buttons: Button[] = [];
  if (!options.isFullDescription) buttons.push({ label: text.buttons.details, action: ACTIONS.info(course.id) });
  if (!options.isOwned && course.status === 'on_sale') buttons.push({ label: text.buttons.buy(formatMoney(price)), action: ACTIONS.buy(course.id) });
  return {
    courseId: course.id,
    title: options.isOwned ? `${courseTitle(course, options.locale)} (${text.owned})` : courseTitle(course, options.locale),
    description,
    price,
    priceStars: course.priceStars,
    ...(options.reason ? { reason: options.reason } : {}),
    buttons,
  };
}
