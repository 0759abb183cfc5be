import { courseTitle, type Course } from '../catalog/course.js';
import { AccessDeniedError, NotFoundError } from '../errors.js';
import type { RecordEventsDeps } from '../events/record-events.js';
import type { Follower } from '../followers/follower.js';
import type { Clock, CourseRepository, FollowerRepository } from '../ports/index.js';
import { formatLearningDate, learningText } from './learning-text.js';
import { lessonsInOrder, type Chapter, type Lesson } from './course-content.js';
import type { Enrolment, LearningRepository } from './learning-ports.js';
import { computeStreak, type Streak } from './streaks.js';
import { unlockTimes } from './unlock-schedule.js';

/** What the learning use cases need; the edges pass the same repositories and clock everywhere. */
export interface LearningDeps {
  learning: LearningRepository;
  courses: CourseRepository;
  followers: FollowerRepository;
  /** Learning events go through the one event pipeline (idempotent, last-seen, metrics). */
  events: RecordEventsDeps;
  clock: Clock;
}

export interface LessonProgress {
  lesson: Lesson;
  chapter: Chapter;
  /** 1-based place in the course. */
  number: number;
  unlocksAt: Date;
  isUnlocked: boolean;
  completedAt: Date | null;
}

/** A completion certificate, in both languages. */
export interface Certificate {
  completedAt: Date;
  zh: { title: string; text: string };
  en: { title: string; text: string };
}

export interface CourseProgress {
  course: Course;
  follower: Follower;
  enrolledAt: Date;
  lessons: LessonProgress[];
  completedCount: number;
  totalCount: number;
  /** Whole percent of lessons completed; 100 only when every lesson is. */
  percent: number;
  /** The first open lesson not completed yet. */
  nextLesson: LessonProgress | null;
  /** When the next locked lesson opens, if one is locked. */
  nextUnlockAt: Date | null;
  streak: Streak;
  /** Present once every lesson is completed. */
  certificate: Certificate | null;
}

/** The follower's active enrolment in a course, or an `AccessDeniedError` (never bought, or refunded). */
export async function requireEnrolment(deps: Pick<LearningDeps, 'learning'>, followerId: string, course: Course): Promise<Enrolment> {
  const enrolment = await deps.learning.enrolment(followerId, course.id);
  if (!enrolment) throw new AccessDeniedError('not_enrolled', `Follower ${followerId} has no active purchase of "${course.titleEn}" (never bought, or refunded).`);
  return enrolment;
}

async function loadCourseAndFollower(deps: LearningDeps, followerId: string, courseId: string): Promise<{ course: Course; follower: Follower }> {
  const [course, follower] = await Promise.all([deps.courses.findById(courseId), deps.followers.findById(followerId)]);
  if (!course) throw new NotFoundError('course_not_found', `No course ${courseId}.`);
  if (!follower) throw new NotFoundError('follower_not_found', `No follower ${followerId}.`);
  return { course, follower };
}

/**
 * A learner's place in a course at the clock's now: every lesson in order with its unlock time
 * under the course's pacing, what is completed, the next lesson, the completion percent, the
 * learning streak in the follower's time zone and, at 100 %, the certificate. Only for followers
 * with an active purchase: a refund revokes it (`AccessDeniedError`, code `not_enrolled`).
 *
 * @example
 * const progress = await courseProgress(deps, { followerId, courseId });
 * progress.lessons.map((l) => l.isUnlocked); // [true, true, false, …] on a drip course
 */
export async function courseProgress(deps: LearningDeps, input: { followerId: string; courseId: string }): Promise<CourseProgress> {
  const { course, follower } = await loadCourseAndFollower(deps, input.followerId, input.courseId);
  const enrolment = await requireEnrolment(deps, follower.id, course);
  const [outline, activity] = await Promise.all([deps.learning.outline(course.id), deps.learning.activity(follower.id)]);
  return progressOf(course, follower, enrolment, outline.chapters, activity, deps.clock.now());
}

/** {@link courseProgress} from what it read; pure. */
export function progressOf(
  course: Course,
  follower: Follower,
  enrolment: Enrolment,
  chapters: Array<Chapter & { lessons: Lesson[] }>,
  activity: Awaited<ReturnType<LearningRepository['activity']>>,
  now: Date,
): CourseProgress {
  const ordered = lessonsInOrder({ courseId: course.id, chapters });
  const chapterOf = new Map(chapters.flatMap((c) => c.lessons.map((l) => [l.id, c] as const)));
  const unlocks = unlockTimes(course.pacing, ordered, enrolment.enrolledAt);
  const completed = new Map<string, Date>();
  for (const a of activity) if (a.kind === 'lesson_complete' && a.courseId === course.id && a.lessonId && !completed.has(a.lessonId)) completed.set(a.lessonId, a.occurredAt);
  const lessons = ordered.map((lesson, i): LessonProgress => ({
    lesson,
    chapter: chapterOf.get(lesson.id)!,
    number: i + 1,
    unlocksAt: unlocks[i]!,
    isUnlocked: unlocks[i]!.getTime() <= now.getTime(),
    completedAt: completed.get(lesson.id) ?? null,
  }));
  const completedCount = lessons.filter((l) => l.completedAt).length;
  const totalCount = lessons.length;
  const isComplete = totalCount > 0 && completedCount === totalCount;
  const percent = isComplete ? 100 : totalCount === 0 ? 0 : Math.min(99, Math.floor((completedCount * 100) / totalCount));
  const locked = lessons.filter((l) => !l.isUnlocked).map((l) => l.unlocksAt.getTime());
  const progress: CourseProgress = {
    course,
    follower,
    enrolledAt: enrolment.enrolledAt,
    lessons,
    completedCount,
    totalCount,
    percent,
    nextLesson: lessons.find((l) => l.isUnlocked && !l.completedAt) ?? null,
    nextUnlockAt: locked.length ? new Date(Math.min(...locked)) : null,
    streak: computeStreak(activity.map((a) => a.occurredAt), follower.timeZone, now),
    certificate: null,
  };
  if (isComplete) progress.certificate = certificateOf(progress, new Date(Math.max(...lessons.map((l) => l.completedAt!.getTime()))));
  return progress;
}

/**
 * The completion certificate's wording, zh-CN and en, dated in the learner's time zone.
 *
 * @example
 * certificateOf(progress, completedAt).zh.text; // '兹证明 小林 已于 2026年3月5日 完成《Python 零基础入门到实战》全部 12 节课程。…'
 */
export function certificateOf(progress: Pick<CourseProgress, 'course' | 'follower' | 'totalCount'>, completedAt: Date): Certificate {
  const { course, follower } = progress;
  const side = (locale: 'zh-CN' | 'en') => {
    const text = learningText(locale);
    const name = follower.displayName?.trim() || text.learner;
    const date = formatLearningDate(completedAt, locale, follower.timeZone);
    return { title: text.certificateTitle, text: text.certificate(name, courseTitle(course, locale), progress.totalCount, date, course.teacherName) };
  };
  return { completedAt, zh: side('zh-CN'), en: side('en') };
}

/** One of the follower's courses, with how far they are. */
export interface MyCourse {
  course: Course;
  enrolledAt: Date;
  completedCount: number;
  totalCount: number;
  percent: number;
  nextLesson: LessonProgress | null;
  nextUnlockAt: Date | null;
  hasCertificate: boolean;
}

/**
 * The courses a follower can learn now (active purchases, refunded ones left out), newest
 * purchase first, each with its progress.
 *
 * @example
 * const mine = await listMyCourses(deps, { followerId });
 * mine.map((c) => `${c.course.titleZh} ${c.percent}%`);
 */
export async function listMyCourses(deps: LearningDeps, input: { followerId: string }): Promise<MyCourse[]> {
  const follower = await deps.followers.findById(input.followerId);
  if (!follower) throw new NotFoundError('follower_not_found', `No follower ${input.followerId}.`);
  const [enrolments, activity] = await Promise.all([deps.learning.enrolments(follower.id), deps.learning.activity(follower.id)]);
  const now = deps.clock.now();
  const mine: MyCourse[] = [];
  for (const enrolment of enrolments) {
    const [course, outline] = await Promise.all([deps.courses.findById(enrolment.courseId), deps.learning.outline(enrolment.courseId)]);
    if (!course) continue;
    const p = progressOf(course, follower, enrolment, outline.chapters, activity, now);
    mine.push({
      course,
      enrolledAt: p.enrolledAt,
      completedCount: p.completedCount,
      totalCount: p.totalCount,
      percent: p.percent,
      nextLesson: p.nextLesson,
      nextUnlockAt: p.nextUnlockAt,
      hasCertificate: p.certificate !== null,
    });
  }
  return mine;
}
