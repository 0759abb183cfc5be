import type { Course } from '../catalog/course.js';
import { lessonsInOrder, type CourseOutline } from './course-content.js';
import type { CourseLearner } from './learning-ports.js';
import { DAY_MS, unlockTimes } from './unlock-schedule.js';

/** How a course's buyers are learning: how many, how far (a funnel by lesson), and who is stuck. */
export interface CourseLearningReport {
  courseId: string;
  /** Buyers with access now (refunds left out). */
  learners: number;
  /** Learners who completed every lesson. */
  completed: number;
  /**
   * One step per lesson in course order: learners who completed that lesson and every lesson
   * before it, so each step is a subset of the one before.
   */
  funnel: Array<{ lessonId: string; number: number; titleZh: string; titleEn: string; learners: number }>;
  stuckAfterDays: number;
  /** Learners with an open lesson to do and no learning in the course for `stuckAfterDays`, longest idle first. */
  stuck: Array<{ followerId: string; displayName: string | null; completedCount: number; nextLessonNumber: number; lastActivityAt: Date | null; idleDays: number }>;
}

/**
 * A course's learning report from its learners and outline at `now`. Learners waiting for a drip
 * lesson or a cohort start are not stuck: only those whose next lesson is already open. Pure.
 *
 * @example
 * const report = courseLearningReport(course, outline, await reports.courseLearners(course.id), clock.now(), 7);
 * report.funnel.map((s) => s.learners); // [40, 31, 22, 9]
 */
export function courseLearningReport(course: Pick<Course, 'id' | 'pacing'>, outline: CourseOutline, learners: readonly CourseLearner[], now: Date, stuckAfterDays: number): CourseLearningReport {
  const lessons = lessonsInOrder(outline);
  // How many lessons, from the first, each learner completed without a gap.
  const reached = learners.map((l) => {
    const done = new Set(l.completedLessonIds);
    const gap = lessons.findIndex((lesson) => !done.has(lesson.id));
    return gap === -1 ? lessons.length : gap;
  });
  const funnel = lessons.map((lesson, i) => ({ lessonId: lesson.id, number: i + 1, titleZh: lesson.titleZh, titleEn: lesson.titleEn, learners: reached.filter((n) => n > i).length }));
  const stuck: CourseLearningReport['stuck'] = [];
  for (const learner of learners) {
    const done = new Set(learner.completedLessonIds);
    const next = lessons.findIndex((lesson) => !done.has(lesson.id));
    if (next === -1) continue;
    if (unlockTimes(course.pacing, lessons, learner.enrolledAt)[next]!.getTime() > now.getTime()) continue;
    const since = learner.lastActivityAt ?? learner.enrolledAt;
    const idleDays = Math.floor((now.getTime() - since.getTime()) / DAY_MS);
    if (idleDays < stuckAfterDays) continue;
    const completedCount = lessons.filter((lesson) => done.has(lesson.id)).length;
    stuck.push({ followerId: learner.followerId, displayName: learner.displayName, completedCount, nextLessonNumber: next + 1, lastActivityAt: learner.lastActivityAt, idleDays });
  }
  stuck.sort((a, b) => b.idleDays - a.idleDays || a.followerId.localeCompare(b.followerId));
  return { courseId: course.id, learners: learners.length, completed: lessons.length > 0 ? reached.filter((n) => n === lessons.length).length : 0, funnel, stuckAfterDays, stuck };
}
