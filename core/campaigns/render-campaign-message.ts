import { courseTitle, type Course } from '../catalog/course.js';
import type { Reply } from '../dialog/reply.js';
import type { Locale } from '../followers/follower.js';
import { withOptOutLine } from '../guards/index.js';
import type { MessageVariant } from './campaign-types.js';

const BUY_LABEL: Record<Locale, string> = { en: 'Buy', 'zh-CN': '购买' };

/**
 * Renders one variant for one follower: the text in their language (falling back to the other),
 * `{course}` replaced by the course title, a course card when there is a course, and the opt-out
 * line every marketing message carries.
 *
 * @example
 * renderCampaignMessage(variant, 'en', course); // [{ type: 'text', … }, { type: 'course_cards', … }, { type: 'text', text: 'Reply /stop to unsubscribe' }]
 */
export function renderCampaignMessage(variant: MessageVariant, locale: Locale, course: Course | null): Reply[] {
  const template = variant.text[locale] ?? variant.text['zh-CN'] ?? variant.text.en ?? '';
  const text = course ? template.replaceAll('{course}', courseTitle(course, locale)) : template;
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
