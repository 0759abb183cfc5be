import type { Money } from '../catalog/course.js';

/**
 * A button under a message: `action` is short callback data (at most 64 bytes, Telegram's limit),
 * such as `buy:<courseId>` or `page:2`; `url` opens a link instead.
 */
export type Button = { label: string; action: string } | { label: string; url: string };

/** A course as the chat shows it, in the follower's language. */
export interface CourseCard {
  courseId: string;
  title: string;
  description: string;
  price: Money;
  /** Price in Telegram Stars, when sold on Telegram. */
  priceStars: number | null;
  /** Why this course is shown ("Because you liked …"), when it is a recommendation. */
  reason?: string;
  /** A page where the course can be seen (mini-program path or web URL). */
  url?: string;
  buttons: Button[];
}

/**
 * What the core answers in chat, whatever the platform. Adapters render each variant with what
 * their platform offers (inline keyboards, invoices, link cards) and fall back to text.
 */
export type Reply =
  | { type: 'text'; text: string; buttons?: Button[][] }
  | { type: 'course_cards'; intro?: string; cards: CourseCard[]; buttons?: Button[][] }
  | { type: 'invoice'; courseId: string; orderId: string; title: string; description: string; amount: Money }
  | { type: 'link'; title: string; description: string; url: string };

/** Plain-text rendering of any reply, for platforms (or fallbacks) without rich messages. */
export function replyAsText(reply: Reply): string {
  switch (reply.type) {
    case 'text':
      return reply.text;
    case 'link':
      return `${reply.title}\n${reply.description}\n${reply.url}`;
    case 'invoice':
      return `${reply.title}\n${reply.description}`;
    case 'course_cards':
      return [reply.intro, ...reply.cards.map((c, i) => `${i + 1}. ${c.title}${c.reason ? ` — ${c.reason}` : ''}${c.url ? `\n   ${c.url}` : ''}`)]
        .filter((line): line is string => Boolean(line))
        .join('\n');
  }
}
