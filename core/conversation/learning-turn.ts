import type { ValidInboundMessage } from '../dialog/inbound-message.js';
import type { Reply } from '../dialog/reply.js';
import { ZhiliaoError } from '../errors.js';
import type { Locale } from '../followers/follower.js';
import { checkIn, parseCheckIn } from '../learning/check-in.js';
import { completeLesson } from '../learning/complete-lesson.js';
import type { LearningDeps } from '../learning/course-progress.js';
import type { CourseGroupInvites, LessonReminderRepository } from '../learning/learning-ports.js';
import { learnerCode, isLearnerCodeRequest } from '../learning/learner-code.js';
import { learningText } from '../learning/learning-text.js';
import { parseReminderSwitch } from '../learning/reminder-switch.js';
import { isNextLessonRequest, nextLessonReplies } from '../learning/next-lesson.js';
import { learningActionOf, startLearningReplies, type LessonLinkSettings } from '../learning/start-learning-replies.js';

/** What the chat needs to deliver courses: the learning use cases and how lesson links are signed. */
export interface ChatLearning {
  deps: LearningDeps;
  links: LessonLinkSettings;
  /** The follower's lesson-reminder switch ("不要提醒", the reminder's button); absent, those turns go to the dialog. */
  reminders?: Pick<LessonReminderRepository, 'setWantsReminders'>;
  /** Invite links to a course's private group, sent with the lessons after payment (Telegram). */
  groupInvites?: CourseGroupInvites;
}

/**
 * Answers a turn that is about studying a bought course — a learning button (start learning,
 * lesson done, check in), "下一课" / "next" in words, a check-in in words ("打卡 第3天", "check-in day 21") or a request for
 * the learner code that opens lesson links in a new browser ("验证码", "code") — with the
 * learning replies, and turns lesson reminders off or on (the reminder's button, "不要提醒",
 * "resume reminders"); `undefined` for any other turn (the dialog answers it).
 *
 * @example
 * const replies = await learningTurnReplies(learning, message, followerId, 'zh-CN');
 */
export async function learningTurnReplies(learning: ChatLearning, message: Pick<ValidInboundMessage, 'platform' | 'action' | 'text'>, followerId: string, locale: Locale): Promise<Reply[] | undefined> {
  const action = message.action ? learningActionOf(message.action) : undefined;
  // The code that proves, on a lesson page, that the link is this follower's: only their own chat gets it.
  if (!action && message.text !== undefined && isLearnerCodeRequest(message.text)) {
    return [{ type: 'text', text: learningText(locale).learnerCode(learnerCode(learning.links.secret, followerId, learning.deps.clock.now())) }];
  }
  const wantsReminders = !action && message.text !== undefined && learning.reminders ? parseReminderSwitch(message.text) : null;
  if (learning.reminders && (wantsReminders !== null || action?.kind === 'stop_reminders')) {
    const on = wantsReminders === true;
    await learning.reminders.setWantsReminders(followerId, on);
    return [{ type: 'text', text: on ? learningText(locale).remindersOn : learningText(locale).remindersOff }];
  }
  // "下一课" / "next" in words (WeChat has no buttons): the course in progress; no course, the dialog answers.
  if (!action && message.text !== undefined && isNextLessonRequest(message.text)) {
    const replies = await nextLessonReplies(learning.deps, { followerId, links: learning.links });
    if (replies) return replies;
  }
  const isCheckInText = !action && message.text !== undefined && parseCheckIn(message.text) !== null;
  if (!action && !isCheckInText) return undefined;
  try {
    if (isCheckInText) return (await checkIn(learning.deps, { followerId, text: message.text!, platform: message.platform })).replies;
    switch (action!.kind) {
      case 'stop_reminders':
        return undefined; // No switch wired in this process; the dialog answers.
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
