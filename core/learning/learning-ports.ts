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
