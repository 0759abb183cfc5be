import type { ChapterInput, ChapterPatch, Chapter, CourseOutline, Lesson, LessonInput } from './course-content.js';

/** A follower's active access to a course: granted by a paid order, gone once it is refunded. */
export interface Enrolment {
  courseId: string;
  followerId: string;
  enrolledAt: Date;
}

/** A learning event as progress and streaks read it. */
export interface LearningActivity {
  kind: 'lesson_complete' | 'check_in';
  courseId: string | null;
  lessonId: string | null;
  occurredAt: Date;
}

/**
 * What learners read: course outlines, their enrolments and their learning events.
 *
 * @example
 * const enrolment = await learning.enrolment(followerId, courseId); // null after a refund
 */
export interface LearningRepository {
  outline(courseId: string): Promise<CourseOutline>;
  findLesson(lessonId: string): Promise<Lesson | null>;
  /** Active enrolments (entitlements not revoked), newest first. */
  enrolments(followerId: string): Promise<Enrolment[]>;
  enrolment(followerId: string, courseId: string): Promise<Enrolment | null>;
  /** Lesson completions and check-ins since `since` (all of them when absent), oldest first. */
  activity(followerId: string, since?: Date): Promise<LearningActivity[]>;
}

/**
 * Chapters and lessons as creators edit them. Positions are kept as given; absent means last.
 *
 * @example
 * const chapter = await content.createChapter(courseId, { titleZh: '第一章', titleEn: 'Chapter 1' });
 */
export interface CourseContentRepository {
  outline(courseId: string): Promise<CourseOutline>;
  findChapter(chapterId: string): Promise<Chapter | null>;
  findLesson(lessonId: string): Promise<Lesson | null>;
  createChapter(courseId: string, input: ChapterInput): Promise<Chapter>;
  updateChapter(chapterId: string, patch: ChapterPatch): Promise<Chapter | null>;
  deleteChapter(chapterId: string): Promise<boolean>;
  createLesson(chapterId: string, input: LessonInput): Promise<Lesson>;
  updateLesson(lessonId: string, patch: Partial<LessonInput> & { chapterId?: string }): Promise<Lesson | null>;
  deleteLesson(lessonId: string): Promise<boolean>;
}

/** Why a learner is reminded today. */
export type ReminderReason = 'unlocked' | 'cohort_start' | 'stalled';

/** A learner who may be reminded of one course: reminders on, reachable, enrolled. */
export interface ReminderEnrolment {
  followerId: string;
  courseId: string;
  enrolledAt: Date;
  timeZone: string;
  /** The chat the follower is reached in (Telegram first, as for marketing). */
  recipient: { platform: 'telegram' | 'wechat'; chatId: string };
  /** The last finished reminder of this course (sent, blocked or failed), any day. */
  lastRemindedAt: Date | null;
}

/** One claim of a (follower, course, local day) reminder. */
export interface ReminderClaim {
  followerId: string;
  courseId: string;
  /** The follower's local date, YYYY-MM-DD. */
  localDay: string;
  lessonId: string | null;
  reason: ReminderReason;
}

/**
 * Lesson reminders' store: who may be reminded, the follower's switch, and the claim that makes a
 * reminder go once per follower, course and local day.
 *
 * @example
 * if (await reminders.claim(claim, { dailyLimit: 2, now, staleBefore })) await messenger.send(…);
 */
export interface LessonReminderRepository {
  /** Active enrolments of up to `limit` followers who want reminders and are reachable, with ids after `afterFollowerId` (paging), in follower order. */
  enrolmentsToRemind(limit: number, afterFollowerId?: string): Promise<ReminderEnrolment[]>;
  /** The local hour of day (0–23) most events happen at across all followers since `since`, each in their own zone; null without events. */
  populationPeakHour(since: Date): Promise<number | null>;
  /**
   * Claims the reminder: true when this call owns it. False when it was claimed already (sent, or
   * in flight and claimed after `staleBefore`), or when the follower already has `dailyLimit`
   * reminders that local day.
   */
  claim(claim: ReminderClaim, options: { dailyLimit: number; now: Date; staleBefore: Date }): Promise<boolean>;
  finish(claim: Pick<ReminderClaim, 'followerId' | 'courseId' | 'localDay'>, outcome: { status: 'sent' | 'blocked' | 'failed'; error: string | null; at: Date }): Promise<void>;
  /** Turns a follower's lesson reminders on or off. */
  setWantsReminders(followerId: string, wants: boolean): Promise<void>;
}

/**
 * Invite links to a course's private learners' group (Telegram today): one per buyer, good for one
 * person, so a forwarded link lets nobody else in.
 *
 * @example
 * const url = await invites.createInvite({ groupChatId: course.telegramChatId, name: `order 8c1f…` }); // 'https://t.me/+AbCd…'
 */
export interface CourseGroupInvites {
  /** A new invite link for one member of `groupChatId`, labelled `name` (at most 32 characters) in the group's invite list. */
  createInvite(input: { groupChatId: string; name: string }): Promise<string>;
}

/** One learner of a course as the course's learning report reads them. */
export interface CourseLearner {
  followerId: string;
  displayName: string | null;
  enrolledAt: Date;
  /** Lessons of the course they completed, any order. */
  completedLessonIds: string[];
  /** Their last lesson opened, lesson completed or check-in in the course; null when none. */
  lastActivityAt: Date | null;
}

/**
 * The learners of one course, for creators' and admins' reports.
 *
 * @example
 * const learners = await reports.courseLearners(courseId); // active enrolments only
 */
export interface LearningReportRepository {
  courseLearners(courseId: string): Promise<CourseLearner[]>;
}
