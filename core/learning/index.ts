/*
 * Learning: what a buyer gets after paying. Course content (chapters, lessons), progress under
 * the course's pacing, completion and check-ins as events, streaks, certificates, signed lesson
 * links, and the chat replies for "start learning".
 */

// Content and its ports
export {
  chapterInputSchema, chapterPatchSchema, lessonInputSchema, lessonPatchSchema, lessonsInOrder, LESSON_MEDIA_KINDS,
  type Chapter, type ChapterInput, type ChapterPatch, type CourseOutline, type Lesson, type LessonInput, type LessonMediaKind, type LessonPatch,
} from './course-content.js';
export type {
  CourseContentRepository, CourseGroupInvites, CourseLearner, Enrolment, LearningActivity, LearningReportRepository, LearningRepository,
} from './learning-ports.js';

// Use cases
export { courseProgress, listMyCourses, certificateOf, type Certificate, type CourseProgress, type LearningDeps, type LessonProgress, type MyCourse } from './course-progress.js';
export { completeLesson } from './complete-lesson.js';
export { deliverPaidCourse, type PaidCourseDeliveryDeps } from './deliver-paid-course.js';
export { isNextLessonRequest, nextLessonReplies } from './next-lesson.js';
export { courseGroupInviteReplies } from './course-group-invite.js';
export { courseLearningReport, type CourseLearningReport } from './course-learning-report.js';
export { checkIn, parseCheckIn } from './check-in.js';
export { lessonAccess, openLessonByLink, type OpenedByLink, type OpenLesson } from './lesson-access.js';
export { startLearningReplies, learningActionOf, lessonUrl, LEARNING_ACTIONS, type LessonLinkSettings } from './start-learning-replies.js';

// Building blocks
export { signLessonLink, verifyLessonLink, type LessonLinkCheck, type LessonLinkRefusal } from './lesson-link.js';
export { learnerCode, isLearnerCode, isLearnerCodeRequest, LEARNER_CODE_WINDOW_MS } from './learner-code.js';
export { unlockTimes, DAY_MS } from './unlock-schedule.js';
export { computeStreak, localDay, type Streak } from './streaks.js';
export { learningText, formatLearningDate } from './learning-text.js';

// Reminders
export type { LessonReminderRepository, ReminderClaim, ReminderEnrolment, ReminderReason } from './learning-ports.js';
export {
  sendLessonReminders, reminderReasonOf, isReminderDue, reminderReplies, lastLearnedAt, type LessonReminderDeps, type LessonReminderOptions, type ReminderOutcome,
} from './send-lesson-reminders.js';
export { parseReminderSwitch } from './reminder-switch.js';
