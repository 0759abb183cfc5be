import { courseTitle, type Course } from '../catalog/course.js';
import type { Reply } from '../dialog/reply.js';
import type { Locale } from '../followers/follower.js';
import { withOptOutLine } from '../guards/index.js';
import type { MessageVariant } from './campaign-types.js';
import type { CrossSellReason } from './cross-sell.js';

const BUY_LABEL: Record<Locale, string> = { en: 'Buy', 'zh-CN': '购买' };
const TITLE_SEPARATOR: Record<Locale, string> = { en: ', ', 'zh-CN': '、' };

/**
 * Renders one variant for one follower: the text in their language (falling back to the other),
 * `{course}` replaced by the course title, a course card when there is a course, and the opt-out
 * line every marketing message carries. A cross-sell message also fills in why it was offered:
 * `{purchased}` (the titles of the courses bought first), `{confidence}` and `{support}` (as
 * percentages) and `{lift}`. A variable with nothing to fill it stays as written.
 *
 * @example
 * renderCampaignMessage(variant, 'en', course); // [{ type: 'text', … }, { type: 'course_cards', … }, { type: 'text', text: 'Reply /stop to unsubscribe' }]
 * // 'People who bought "{purchased}" also bought "{course}"' → 'People who bought "SQL basics" also bought "Data viz"'
 * renderCampaignMessage(variant, 'en', course, reason);
 */
export function renderCampaignMessage(variant: MessageVariant, locale: Locale, course: Course | null, reason: CrossSellReason | null = null): Reply[] {
  const template = variant.text[locale] ?? variant.text['zh-CN'] ?? variant.text.en ?? '';
  const values = new Map<string, string>();
  if (course) values.set('course', courseTitle(course, locale));
  if (reason) {
    values.set('purchased', reason.purchased.map((c) => courseTitle(c, locale)).join(TITLE_SEPARATOR[locale]));
    values.set('confidence', `${Math.round(reason.confidence * 100)}%`);
    values.set('support', `${Math.round(reason.support * 100)}%`);
    values.set('lift', reason.lift.toFixed(1));
  }
  const text = template.replace(/\{(course|purchased|confidence|support|lift)\}/g, (whole, name: string) => values.get(name) ?? whole);
  const replies: Reply[] = [{ type: 'text', text }];
  if (course) {
    replies.push({
      type: 'course_cards',
      cards: [
        {
          courseId: course.id,
          title: courseTitle(course, locale),
          description: locale === 'en' ? course.descriptionEn : course.descriptionZh,
          price: { amountMinor: course.priceMinor, currency: course.currency },
          priceStars: course.priceStars,
          buttons: [{ label: BUY_LABEL[locale], action: `buy:${course.id}` }],
        },
      ],
    });
  }
  return withOptOutLine(replies, locale);
}
