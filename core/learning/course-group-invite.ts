import type { Course } from '../catalog/course.js';
import type { IdentityKind } from '../events/event-types.js';
import type { Reply } from '../dialog/reply.js';
import type { Locale } from '../followers/follower.js';
import type { Logger } from '../ports/runtime.js';
import type { CourseGroupInvites } from './learning-ports.js';
import { learningText } from './learning-text.js';

/**
 * After a purchase of a course with a private learners' group (`telegramChatId`): a one-person
 * invite link made for this order, as a "join the group" button in the buyer's language. Only
 * for a buyer who paid on Telegram (`buyer`: the identity they paid as): the group is a Telegram group, and a link made for a
 * WeChat or mini-program buyer would be a seat nobody they know can use. Nothing when the course
 * has no group or no invite port is wired; a failure to make the link is logged and leaves the
 * rest of the purchase message alone (the course is bought either way).
 *
 * @example
 * replies.push(...(await courseGroupInviteReplies(invites, course, order, 'telegram', 'zh-CN', logger)));
 */
export async function courseGroupInviteReplies(
  invites: CourseGroupInvites | undefined,
  course: Pick<Course, 'id' | 'telegramChatId'>,
  order: { id: string },
  buyer: IdentityKind,
  locale: Locale,
  logger: Logger,
): Promise<Reply[]> {
  if (!invites || !course.telegramChatId || buyer !== 'telegram') return [];
  try {
    const url = await invites.createInvite({ groupChatId: course.telegramChatId, name: `order ${order.id.slice(0, 8)}` });
    const text = learningText(locale);
    return [{ type: 'text', text: text.joinGroupIntro, buttons: [[{ label: text.joinGroup, url }]] }];
  } catch (error) {
    logger.error({ err: error, courseId: course.id, orderId: order.id }, 'could not create the learners’ group invite link; check that the bot is an admin of the group with the right to invite users');
    return [];
  }
}
