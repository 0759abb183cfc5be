import type { ValidInboundMessage } from '../dialog/inbound-message.js';
import type { Reply } from '../dialog/reply.js';
import { ZhiliaoError } from '../errors.js';
import type { Locale } from '../followers/follower.js';
import { checkIn, parseCheckIn } from '../learning/check-in.js';
import { completeLesson } from '../learning/complete-lesson.js';
import type { LearningDeps } from '../learning/course-progress.js';
import { learningText } from '../learning/learning-text.js';
import { learningActionOf, startLearningReplies, type LessonLinkSettings } from '../learning/start-learning-replies.js';

/** What the chat needs to deliver courses: the learning use cases and how lesson links are signed. */
export interface ChatLearning {
  deps: LearningDeps;
  links: LessonLinkSettings;
}

/**
 * Answers a turn that is about studying a bought course — a learning button (start learning,
 * lesson done, check in) or a check-in in words ("打卡 第3天", "check-in day 21") — with the
 * learning replies; `undefined` for any other turn (the dialog answers it).
 *
 * @example
 * const replies = await learningTurnReplies(learning, message, followerId, 'zh-CN');
 */
export async function learningTurnReplies(learning: ChatLearning, message: Pick<ValidInboundMessage, 'platform' | 'action' | 'text'>, followerId: string, locale: Locale): Promise<Reply[] | undefined> {
  const action = message.action ? learningActionOf(message.action) : undefined;
  const isCheckInText = !action && message.text !== undefined && parseCheckIn(message.text) !== null;
  if (!action && !isCheckInText) return undefined;
  try {
    if (isCheckInText) return (await checkIn(learning.deps, { followerId, text: message.text!, platform: message.platform })).replies;
    switch (action!.kind) {
      case 'start_learning':
        return await startLearningReplies(learning.deps, { followerId, courseId: action!.courseId, links: learning.links });
      case 'check_in':
        return (await checkIn(learning.deps, { followerId, courseId: action!.courseId, platform: message.platform })).replies;
      case 'complete_lesson': {
        const { progress } = await completeLesson(learning.deps, { followerId, lessonId: action!.lessonId, platform: message.platform });
        return await startLearningReplies(learning.deps, { followerId, courseId: progress.course.id, links: learning.links });
      }
    }
  } catch (error) {
    // Expected refusals (not bought or refunded, a lesson still locked) become a sentence.
    if (!(error instanceof ZhiliaoError)) throw error;
    const text = learningText(locale);
    if (error.code === 'lesson_locked') return [{ type: 'text', text: text.lessonLocked }];
    if (error.code === 'not_enrolled') return [{ type: 'text', text: text.notEnrolled }];
    return [{ type: 'text', text: text.noAccess }];
  }
}
