import type { Course } from '../catalog/course.js';
import { AccessDeniedError, ConflictError, NotFoundError } from '../errors.js';
import type { Platform } from '../events/event-types.js';
import { recordEvents } from '../events/record-events.js';
import type { Follower } from '../followers/follower.js';
import type { Lesson } from './course-content.js';
import { progressOf, type LearningDeps, type LessonProgress } from './course-progress.js';
import { verifyLessonLink, type LessonLinkRefusal } from './lesson-link.js';
import { localDay } from './streaks.js';

/** A lesson a follower may read now. */
export interface OpenLesson {
  lesson: Lesson;
  course: Course;
  follower: Follower;
  progress: LessonProgress | null;
}

/**
 * The lesson if this follower may read it now: a free preview, or an unlocked lesson of a course
 * they hold an active purchase of. Otherwise `NotFoundError` (no such lesson),
 * `AccessDeniedError` `not_enrolled` (never bought, or refunded), or `ConflictError`
 * `lesson_locked` (details: `unlocksAt`).
 *
 * @example
 * const { lesson } = await lessonAccess(deps, { followerId, lessonId });
 */
export async function lessonAccess(deps: LearningDeps, input: { followerId: string; lessonId: string }): Promise<OpenLesson> {
  const lesson = await deps.learning.findLesson(input.lessonId);
  if (!lesson) throw new NotFoundError('lesson_not_found', `No lesson ${input.lessonId}.`);
  const [course, follower, enrolment] = await Promise.all([
    deps.courses.findById(lesson.courseId),
    deps.followers.findById(input.followerId),
    deps.learning.enrolment(input.followerId, lesson.courseId),
  ]);
  if (!course || !follower) throw new NotFoundError(course ? 'follower_not_found' : 'course_not_found', `No ${course ? `follower ${input.followerId}` : `course ${lesson.courseId}`}.`);
  if (!enrolment) {
    if (lesson.isFreePreview) return { lesson, course, follower, progress: null };
    throw new AccessDeniedError('not_enrolled', `Follower ${follower.id} has no active purchase of "${course.titleEn}" (never bought, or refunded).`);
  }
  const [outline, activity] = await Promise.all([deps.learning.outline(course.id), deps.learning.activity(follower.id)]);
  const progress = progressOf(course, follower, enrolment, outline.chapters, activity, deps.clock.now()).lessons.find((l) => l.lesson.id === lesson.id)!;
  if (!progress.isUnlocked) {
    throw new ConflictError('lesson_locked', `Lesson ${lesson.id} opens at ${progress.unlocksAt.toISOString()}.`, { unlocksAt: progress.unlocksAt.toISOString(), timeZone: follower.timeZone });
  }
  return { lesson, course, follower, progress };
}

/**
 * `unidentified`: a genuine, unexpired link opened by someone we cannot identify (no mini-program
 * session, no learner cookie): they must prove they are `followerId` (a learner code) first.
 */
export type OpenedByLink = { ok: true; opened: OpenLesson } | { ok: false; reason: LessonLinkRefusal } | { ok: false; reason: 'unidentified'; followerId: string };

/**
 * Opens a lesson from a signed link: refuses a link we did not sign, an expired one, one issued
 * to another follower than the viewer (forwarded), and — because a forwarded click looks like the
 * owner's — any click whose viewer is not known (`unidentified`: the viewer proves who they are,
 * then comes back with `viewerFollowerId`); then applies
 * {@link lessonAccess} (so a refund closes links already sent) and records a `lesson_open` event
 * (at most one per lesson and local day).
 *
 * @example
 * const result = await openLessonByLink(deps, { token, secret, viewerFollowerId: cookieFollowerId, platform: 'web' });
 * if (!result.ok && result.reason === 'unidentified') askForLearnerCode();
 */
export async function openLessonByLink(
  deps: LearningDeps,
  input: { token: string; secret: string; viewerFollowerId: string | undefined; platform: Platform },
): Promise<OpenedByLink> {
  const now = deps.clock.now();
  const check = verifyLessonLink(input.token, input.secret, now, input.viewerFollowerId);
  if (!check.ok) return { ok: false, reason: check.reason };
  if (input.viewerFollowerId === undefined) return { ok: false, reason: 'unidentified', followerId: check.followerId };
  const opened = await lessonAccess(deps, { followerId: check.followerId, lessonId: check.lessonId });
  await recordEvents(deps.events, [
    {
      kind: 'lesson_open',
      platform: input.platform,
      externalId: `lesson_open:${check.followerId}:${check.lessonId}:${localDay(now, opened.follower.timeZone)}`,
      followerId: check.followerId,
      courseId: opened.course.id,
      payload: { lessonId: check.lessonId, via: 'link' },
      occurredAt: now.toISOString(),
    },
  ]);
  return { ok: true, opened };
}
