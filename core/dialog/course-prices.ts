import type { Course, Money } from '../catalog/course.js';
import type { Budget } from '../understanding/index.js';
import { displayPrice } from './course-cards.js';

/**
 * A budget as money in the channel: with no currency said, the number is read in what the chat
 * charges (Stars on Telegram, where "under 200" means 200 ⭐; yuan elsewhere).
 *
 * @example
 * budgetLimit({ maxMinor: 10000 }, false) // { amountMinor: 10000, currency: 'CNY' }
 * budgetLimit({ maxMinor: 20000 }, true) // { amountMinor: 200, currency: 'XTR' }
 */
export function budgetLimit(budget: Budget, isStarsPlatform: boolean): Money {
  if (budget.currency) return { amountMinor: budget.maxMinor, currency: budget.currency };
  return isStarsPlatform ? { amountMinor: Math.round(budget.maxMinor / 100), currency: 'XTR' } : { amountMinor: budget.maxMinor, currency: 'CNY' };
}

/** Whether a course costs at most `limit`; a course without a price in that currency does not fit. */
export function isWithin(course: Course, limit: Money): boolean {
  if (limit.currency === 'XTR') return course.priceStars !== null && course.priceStars <= limit.amountMinor;
  return course.currency === limit.currency && course.priceMinor <= limit.amountMinor;
}

/** Whether `course` costs less than `than` in the prices this chat shows. */
export function isCheaper(course: Course, than: Course, isStarsPlatform: boolean): boolean {
  const a = displayPrice(course, isStarsPlatform);
  const b = displayPrice(than, isStarsPlatform);
  return a.currency === b.currency && a.amountMinor < b.amountMinor;
}
