import type { Reply } from '../dialog/reply.js';
import { listMyCourses, type LearningDeps } from './course-progress.js';
import { startLearningReplies, type LessonLinkSettings } from './start-learning-replies.js';

const NEXT_LESSON = /^\s*(?:下一课|下一节|下节课|继续学习|开始学习|next|next lesson|continue|continue learning|start learning)\s*[。.!！]?\s*$/i;

/**
 * Whether a chat message asks for the next lesson in words — what a WeChat learner types, where
 * there are no buttons ("下一课", "继续学习", "next").
 *
 * @example
 * isNextLessonRequest('下一课'); // true
 */
export function isNextLessonRequest(text: string): boolean {
  return NEXT_LESSON.test(text);
}

/**
 * "Next lesson" without naming a course: the start-learning replies of the newest bought course
 * that still has an open lesson to study, else of the newest bought course; null when the
 * follower has no course to learn (the dialog answers instead).
 *
 * @example
 * const replies = await nextLessonReplies(deps, { followerId, links }); // lesson list + next lesson's link
 */
export async function nextLessonReplies(deps: LearningDeps, input: { followerId: string; links: LessonLinkSettings }): Promise<Reply[] | null> {
  const mine = await listMyCourses(deps, { followerId: input.followerId });
  const course = (mine.find((c) => c.nextLesson !== null) ?? mine[0])?.course;
  return course ? startLearningReplies(deps, { followerId: input.followerId, courseId: course.id, links: input.links }) : null;
}
