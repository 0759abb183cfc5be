import type { Platform } from '../events/event-types.js';
import { recordEvents } from '../events/record-events.js';
import { courseProgress, type CourseProgress, type LearningDeps } from './course-progress.js';
import { lessonAccess } from './lesson-access.js';

/**
 * Marks a lesson completed for a follower (a `lesson_complete` event, once per lesson: repeating
 * it changes nothing) and answers the course progress after it; at 100 % it carries the
 * certificate. Refused like {@link lessonAccess}: locked, not bought or refunded.
 *
 * @example
 * const { isNew, progress } = await completeLesson(deps, { followerId, lessonId, platform: 'miniprogram' });
 * if (progress.certificate) show(progress.certificate.zh.text);
 */
export async function completeLesson(
  deps: LearningDeps,
  input: { followerId: string; lessonId: string; platform: Platform },
): Promise<{ isNew: boolean; progress: CourseProgress }> {
  const { lesson, course, progress } = await lessonAccess(deps, input);
  const [result] = await recordEvents(deps.events, [
    {
      kind: 'lesson_complete',
      platform: input.platform,
      externalId: `lesson_complete:${input.followerId}:${lesson.id}`,
      followerId: input.followerId,
      courseId: course.id,
      payload: { lessonId: lesson.id, chapterId: lesson.chapterId, ...(progress ? { lessonNumber: progress.number } : {}) },
      occurredAt: deps.clock.now().toISOString(),
    },
  ]);
  return { isNew: result?.status === 'recorded', progress: await courseProgress(deps, { followerId: input.followerId, courseId: course.id }) };
}
