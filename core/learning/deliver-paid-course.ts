import { courseTitle } from '../catalog/course.js';
import { dialogText } from '../dialog/dialog-text.js';
import type { Reply } from '../dialog/reply.js';
import type { IdentityKind } from '../events/event-types.js';
import type { Recipient, SendPurpose } from '../ports/messenger.js';
import type { LearningDeps } from './course-progress.js';
import { startLearningReplies, type LessonLinkSettings } from './start-learning-replies.js';

export interface PaidCourseDeliveryDeps {
  learning: LearningDeps;
  links: LessonLinkSettings;
  /** The chat platform this delivery writes to (WeChat for a WeChat Pay order). */
  identityKind: IdentityKind;
  /** The follower's id on that platform; null when they never talked to the bot there. */
  chatOf: (followerId: string, kind: IdentityKind) => Promise<string | null>;
  /** A durable queue in front of that platform's messenger (the chat channels' `ReplyOutbox.enqueue`). */
  outbox: { enqueue(to: Recipient, replies: readonly Reply[], options: { purpose: SendPurpose }): Promise<void> };
}

/**
 * After a payment settled outside any chat (WeChat Pay in the mini-program): "payment received"
 * and the lessons (the list, the next lesson's signed link, done and check-in options) in the
 * buyer's chat with the bot, in their language. Telegram's one-person group invite is not part of
 * it: that is for Telegram buyers only. `no_chat` when the buyer has no chat there (the
 * mini-program shows the course anyway). Call once per newly paid order.
 *
 * @example
 * if (isNew) await deliverPaidCourse({ learning, links, identityKind: 'wechat', chatOf, outbox }, order);
 */
export async function deliverPaidCourse(deps: PaidCourseDeliveryDeps, order: { followerId: string; courseId: string }): Promise<'queued' | 'no_chat'> {
  const chatId = await deps.chatOf(order.followerId, deps.identityKind);
  if (!chatId) return 'no_chat';
  const [follower, course] = await Promise.all([deps.learning.followers.findById(order.followerId), deps.learning.courses.findById(order.courseId)]);
  const locale = follower?.locale ?? 'zh-CN';
  const replies: Reply[] = [
    { type: 'text', text: dialogText(locale).paymentReceived(course ? courseTitle(course, locale) : '') },
    ...(await startLearningReplies(deps.learning, { followerId: order.followerId, courseId: order.courseId, links: deps.links })),
  ];
  await deps.outbox.enqueue({ followerId: order.followerId, chatId }, replies, { purpose: 'transactional' });
  return 'queued';
}
