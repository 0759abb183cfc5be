import { courseTitle } from '../catalog/course.js';
import { ZhiliaoError } from '../errors.js';
import { createPendingOrder } from '../orders/create-pending-order.js';
import { pickACourseReplies, resolveCourse } from './catalogue-replies.js';
import { menuButtons, recordDerivedEvent, textReply, type DialogTurn } from './dialog-turn.js';
import type { Reply } from './reply.js';

/**
 * Starts buying one course: an invoice when this chat takes payment (an order is opened, or the
 * open one reused), a link to where it is sold otherwise. Owned and unavailable courses are
 * explained instead.
 */
export async function buyReplies(turn: DialogTurn, courseId: string | undefined, query: string | undefined): Promise<Reply[]> {
  const course = await resolveCourse(turn, courseId, query);
  if (course === undefined) return pickACourseReplies(turn, turn.text.whichCourseToBuy, query);
  if (course === null) return [textReply(turn.text.courseNotFound, menuButtons(turn))];
  const title = courseTitle(course, turn.locale);
  if (course.status !== 'on_sale') return [textReply(turn.text.notOnSale(title), menuButtons(turn))];
  if ((await turn.deps.repos.entitlements.ownedCourseIds(turn.follower.id)).has(course.id)) {
    return [textReply(turn.text.alreadyOwned(title), menuButtons(turn))];
  }
  const provider = turn.deps.checkoutProvider;
  if (!provider) {
    const url = turn.deps.courseUrl?.(course);
    return [url ? { type: 'link', title: turn.text.buyElsewhere(title), description: turn.text.invoiceDescription(title), url } : textReply(turn.text.cannotSellHere(title))];
  }
  try {
    const { order } = await createPendingOrder(turn.deps, { followerId: turn.follower.id, courseId: course.id, provider });
    await recordDerivedEvent(turn, `checkout:${course.id}`, { kind: 'checkout', courseId: course.id, payload: { orderId: order.id } });
    return [
      {
        type: 'invoice',
        courseId: course.id,
        orderId: order.id,
        title: title.slice(0, 32),
        description: turn.text.invoiceDescription(title).slice(0, 255),
        amount: { amountMinor: order.amountMinor, currency: order.currency },
      },
    ];
  } catch (error) {
    // Expected refusals (owned meanwhile, taken off sale, no Stars price) become a sentence, not a crash.
    if (error instanceof ZhiliaoError) {
      const sentence = error.code === 'already_owned' ? turn.text.alreadyOwned(title) : error.code === 'course_not_on_sale' ? turn.text.notOnSale(title) : turn.text.cannotSellHere(title);
      return [textReply(sentence, menuButtons(turn))];
    }
    throw error;
  }
}
