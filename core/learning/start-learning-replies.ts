import { courseTitle } from '../catalog/course.js';
import type { Button, Reply } from '../dialog/reply.js';
import { courseProgress, type CourseProgress, type LearningDeps, type LessonProgress } from './course-progress.js';
import { formatLearningDate, learningText } from './learning-text.js';
import { signLessonLink } from './lesson-link.js';

/** How lesson links are made: `${baseUrl}/learn/<signed token>`, valid for `ttlMs`. */
export interface LessonLinkSettings {
  secret: string;
  /** Public origin of the HTTP server, such as `https://learn.example.com`. */
  baseUrl: string;
  ttlMs: number;
}

/** Button callback data for learning; each stays under Telegram's 64 bytes. */
export const LEARNING_ACTIONS = {
  /** Mark a lesson completed. */
  complete: (lessonId: string) => `done:${lessonId}`,
  /** Daily check-in for a course. */
  checkIn: (courseId: string) => `checkin:${courseId}`,
  /** Show the lesson list again. */
  start: (courseId: string) => `learn:${courseId}`,
  /** Turn lesson reminders off (all courses; the course says which reminder it was on). */
  stopReminders: (courseId: string) => `noremind:${courseId}`,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The learning action behind button callback data the learning replies emit, or undefined.
 *
 * @example
 * learningActionOf('done:8c1…'); // { kind: 'complete_lesson', lessonId: '8c1…' }
 */
export function learningActionOf(action: string):
  | { kind: 'complete_lesson'; lessonId: string }
  | { kind: 'check_in'; courseId: string }
  | { kind: 'start_learning'; courseId: string }
  | { kind: 'stop_reminders'; courseId: string }
  | undefined {
  const [name, id = ''] = action.split(':', 2) as [string, string?];
  if (!UUID.test(id)) return undefined;
  if (name === 'done') return { kind: 'complete_lesson', lessonId: id };
  if (name === 'checkin') return { kind: 'check_in', courseId: id };
  if (name === 'learn') return { kind: 'start_learning', courseId: id };
  if (name === 'noremind') return { kind: 'stop_reminders', courseId: id };
  return undefined;
}

/** The signed URL that opens one lesson for one follower. */
export function lessonUrl(links: LessonLinkSettings, followerId: string, lessonId: string, now: Date): string {
  return `${links.baseUrl.replace(/\/+$/, '')}/learn/${signLessonLink(followerId, lessonId, new Date(now.getTime() + links.ttlMs), links.secret)}`;
}

/** Lines shown around the next lesson when a course is long: chat messages stay readable. */
const MAX_LINES = 12;

function visibleLessons(progress: CourseProgress): LessonProgress[] {
  const all = progress.lessons;
  if (all.length <= MAX_LINES) return all;
  const anchor = Math.max(0, all.indexOf(progress.nextLesson ?? all.find((l) => !l.isUnlocked) ?? all[all.length - 1]!) - 2);
  return all.slice(Math.min(anchor, all.length - MAX_LINES), Math.min(anchor, all.length - MAX_LINES) + MAX_LINES);
}

/**
 * "Start learning" in chat, after a purchase or when asked: the course's lessons with what is
 * done, open and locked (and when it opens), the streak, then the next lesson as a signed link
 * with buttons to mark it done and to check in. In the follower's language and time zone.
 * Refused for followers without an active purchase (`AccessDeniedError` `not_enrolled`).
 *
 * @example
 * const replies = await startLearningReplies(deps, { followerId, courseId, links: { secret, baseUrl: 'https://zl.example.com', ttlMs: 7 * 86_400_000 } });
 */
export async function startLearningReplies(deps: LearningDeps, input: { followerId: string; courseId: string; links: LessonLinkSettings }): Promise<Reply[]> {
  const progress = await courseProgress(deps, input);
  const { course, follower } = progress;
  const locale = follower.locale;
  const text = learningText(locale);
  const now = deps.clock.now();
  const date = (at: Date) => formatLearningDate(at, locale, follower.timeZone);
  const title = courseTitle(course, locale);
  if (progress.totalCount === 0) return [{ type: 'text', text: `${text.startIntro(title, 0)}\n${text.noLessons}` }];

  const lines = visibleLessons(progress).map((l) =>
    text.lessonLine(l.number, courseTitle(l.lesson, locale), l.completedAt ? 'done' : l.isUnlocked ? 'open' : 'locked', date(l.unlocksAt)),
  );
  const head = [text.startIntro(title, progress.percent), text.streak(progress.streak.currentDays)].filter(Boolean).join(' · ');
  const checkInRow: Button[] = [{ label: text.checkIn, action: LEARNING_ACTIONS.checkIn(course.id) }];
  const replies: Reply[] = [{ type: 'text', text: [head, '', ...lines].join('\n') }];

  const next = progress.nextLesson;
  if (next) {
    const url = lessonUrl(input.links, follower.id, next.lesson.id, now);
    const about = [courseTitle(next.chapter, locale), next.lesson.estimatedMinutes ? text.minutes(next.lesson.estimatedMinutes) : ''].filter(Boolean).join(' · ');
    replies.push({ type: 'link', title: text.nextLesson(courseTitle(next.lesson, locale)), description: about, url });
    replies.push({
      type: 'text',
      text: text.nextLesson(courseTitle(next.lesson, locale)),
      buttons: [[{ label: text.openLesson, url }], [{ label: text.markDone, action: LEARNING_ACTIONS.complete(next.lesson.id) }, ...checkInRow]],
    });
  } else if (progress.certificate) {
    const certificate = locale.startsWith('zh') ? progress.certificate.zh : progress.certificate.en;
    replies.push({ type: 'text', text: `${text.allDone}\n\n${certificate.title}\n${certificate.text}` });
  } else if (progress.nextUnlockAt) {
    const notice = course.pacing.kind === 'cohort' && progress.completedCount === 0 ? text.cohortStarts(date(progress.nextUnlockAt)) : text.nothingOpen(date(progress.nextUnlockAt));
    replies.push({ type: 'text', text: notice, buttons: [checkInRow] });
  }
  return replies;
}
