import { courseTitle, type Course } from '../catalog/course.js';
import type { Reply } from '../dialog/reply.js';
import type { Platform } from '../events/event-types.js';
import type { Follower } from '../followers/follower.js';
import { isQuietMinute, parseTimeOfDay, toWallTime, type QuietHours } from '../guards/index.js';
import { personaOf } from '../persona/get-persona.js';
import type { EventRepository, Logger, Messenger } from '../ports/index.js';
import type { CourseOutline } from './course-content.js';
import { progressOf, type CourseProgress, type LearningDeps, type LessonProgress } from './course-progress.js';
import type { LearningActivity, LessonReminderRepository, ReminderClaim, ReminderEnrolment, ReminderReason } from './learning-ports.js';
import { learningText } from './learning-text.js';
import { LEARNING_ACTIONS, lessonUrl, type LessonLinkSettings } from './start-learning-replies.js';
import { localDay } from './streaks.js';
import { DAY_MS } from './unlock-schedule.js';

export interface LessonReminderDeps {
  learning: LearningDeps;
  reminders: LessonReminderRepository;
  /** The persona's active hours pick each follower's hour. */
  events: Pick<EventRepository, 'personaStats'>;
  /** The quiet hours in force (the guard settings admins edit). */
  quietHours: () => Promise<QuietHours>;
  messengers: ReadonlyMap<Platform, Messenger>;
  links: LessonLinkSettings;
  logger: Logger;
}

export interface LessonReminderOptions {
  /** No lesson completed or check-in for this many days: remind, then again after as many days. */
  stalledAfterDays: number;
  /** Service reminders per follower per local day, across courses. */
  dailyLimit: number;
  /** A claim still `sending` after this long belonged to a dead process and is taken again. */
  leaseMs: number;
  /** The hour used when neither the follower nor the population has any events. */
  fallbackHour: number;
  /** Enrolments read per page. */
  pageSize: number;
}

export type ReminderOutcome = 'sent' | 'blocked' | 'failed' | 'not_due' | 'nothing_to_remind' | 'already_reminded' | 'no_messenger';

/**
 * Why a learner should be reminded of a course now, or null. `cohort_start`: their cohort began
 * less than a day ago; `unlocked`: a drip lesson they have not done opened less than a day ago;
 * in both cases only when they were not reminded of the course since (a lesson that opens in
 * quiet hours is announced the next morning). `stalled`: they have an open lesson and have not
 * learned in the course for `stalledAfterDays`, nor been reminded of it within as many. Pure.
 *
 * @example
 * reminderReasonOf(progress, activity, null, now, 3); // { reason: 'unlocked', lesson: <lesson 2> } on the day lesson 2 opens
 */
export function reminderReasonOf(
  progress: CourseProgress,
  activity: readonly LearningActivity[],
  lastRemindedAt: Date | null,
  now: Date,
  stalledAfterDays: number,
): { reason: ReminderReason; lesson: LessonProgress } | null {
  const next = progress.nextLesson;
  if (!next) return null;
  const nowMs = now.getTime();
  const enrolledMs = progress.enrolledAt.getTime();
  const remindedMs = lastRemindedAt?.getTime() ?? -Infinity;
  // Something opened after the purchase (the purchase itself sent the lesson list), within a day, not announced yet.
  const isNews = (at: Date) => at.getTime() > enrolledMs && at.getTime() <= nowMs && nowMs - at.getTime() < DAY_MS && remindedMs < at.getTime();
  const { pacing } = progress.course;
  if (pacing.kind === 'cohort' && progress.completedCount === 0 && isNews(pacing.startsAt)) return { reason: 'cohort_start', lesson: next };
  const opened = pacing.kind === 'cohort' ? undefined : progress.lessons.findLast((l) => l.isUnlocked && !l.completedAt && isNews(l.unlocksAt));
  if (opened) return { reason: 'unlocked', lesson: opened };
  const stallMs = stalledAfterDays * DAY_MS;
  const isStalled = nowMs - lastLearnedAt(progress, activity).getTime() >= stallMs && nowMs - remindedMs >= stallMs;
  return isStalled ? { reason: 'stalled', lesson: next } : null;
}

/** The learner's last lesson completion or check-in in the course, or their enrolment when none. */
export function lastLearnedAt(progress: Pick<CourseProgress, 'course' | 'enrolledAt'>, activity: readonly LearningActivity[]): Date {
  const ms = activity.filter((a) => a.courseId === progress.course.id).reduce((latest, a) => Math.max(latest, a.occurredAt.getTime()), progress.enrolledAt.getTime());
  return new Date(ms);
}

/**
 * Whether a reminder aimed at `hour` (local) may go at `now`: once the follower's clock has
 * reached that hour — or, when the hour is inside quiet hours, the end of the quiet window that
 * morning — and the clock is not in quiet hours now. Later runs of the same day still send (a
 * missed tick is caught up), the day's claim keeps it to one.
 *
 * @example
 * isReminderDue(new Date('2026-03-04T12:30:00Z'), 'Asia/Shanghai', 20, { start: '21:00', end: '09:00' }); // true (20:30 there)
 */
export function isReminderDue(now: Date, timeZone: string, hour: number, quiet: QuietHours): boolean {
  const wall = toWallTime(now, timeZone);
  const minute = wall.hour * 60 + wall.minute;
  const aimed = isQuietMinute(hour * 60, quiet) ? parseTimeOfDay(quiet.end) : hour * 60;
  return minute >= aimed && !isQuietMinute(minute, quiet);
}

/**
 * The reminder itself, in the follower's language: what opened (or that they have been away), the
 * lesson as a signed link, a "done" button and a button that turns reminders off.
 *
 * @example
 * reminderReplies(progress, { reason: 'unlocked', lesson }, links, now, 0)[0].text; // '📖 《摄影入门》第2课「构图」已经解锁，…'
 */
export function reminderReplies(progress: CourseProgress, about: { reason: ReminderReason; lesson: LessonProgress }, links: LessonLinkSettings, now: Date, idleDays: number): Reply[] {
  const { reason, lesson: next } = about;
  const locale = progress.follower.locale;
  const text = learningText(locale);
  const course = courseTitle(progress.course, locale);
  const lesson = courseTitle(next.lesson, locale);
  const body =
    reason === 'cohort_start' ? text.reminderCohort(course) : reason === 'unlocked' ? text.reminderUnlocked(course, next.number, lesson) : text.reminderStalled(course, idleDays, next.number, lesson);
  const url = lessonUrl(links, progress.follower.id, next.lesson.id, now);
  return [
    {
      type: 'text',
      text: body,
      buttons: [
        [{ label: text.openLesson, url }],
        [
          { label: text.markDone, action: LEARNING_ACTIONS.complete(next.lesson.id) },
          { label: text.stopReminders, action: LEARNING_ACTIONS.stopReminders(progress.course.id) },
        ],
      ],
    },
  ];
}

/**
 * One pass of lesson reminders. For every learner who wants reminders and has something to be
 * reminded of today ({@link reminderReasonOf}), at or after their own most active hour (the
 * persona's peak hour; else the population's; else `fallbackHour`) and outside quiet hours
 * ({@link isReminderDue}): claims the (follower, course, local day) reminder — under the service
 * limit per follower and day, not the marketing caps — and sends it as a `service` message with
 * the idempotency key `reminder:<follower>:<course>:<day>`. A rerun, a second instance or a
 * redelivered tick finds the claim and sends nothing; a claim whose process died mid-send is taken
 * again after `leaseMs`, and the key keeps the message from going twice. Marketing opt-out does
 * not stop reminders; the follower's reminder switch does.
 *
 * @example
 * const counts = await sendLessonReminders(deps, { stalledAfterDays: 3, dailyLimit: 2, leaseMs: 600_000, fallbackHour: 20, pageSize: 500 });
 */
export async function sendLessonReminders(deps: LessonReminderDeps, options: LessonReminderOptions): Promise<Record<ReminderOutcome, number>> {
  const counts: Record<ReminderOutcome, number> = { sent: 0, blocked: 0, failed: 0, not_due: 0, nothing_to_remind: 0, already_reminded: 0, no_messenger: 0 };
  const now = deps.learning.clock.now();
  const quiet = await deps.quietHours();
  let populationHour: number | null | undefined;
  const courses = new Map<string, Promise<[Course | null, CourseOutline]>>();
  const courseOf = (id: string) => {
    let pending = courses.get(id);
    if (!pending) {
      pending = Promise.all([deps.learning.courses.findById(id), deps.learning.learning.outline(id)]);
      courses.set(id, pending);
    }
    return pending;
  };

  let after: string | undefined;
  for (;;) {
    const page = await deps.reminders.enrolmentsToRemind(options.pageSize, after);
    if (page.length === 0) break;
    after = page[page.length - 1]!.followerId;
    // Pages hold whole followers (the limit counts followers), so each is handled once.
    for (const group of groupByFollower(page)) {
      const follower = await deps.learning.followers.findById(group[0]!.followerId);
      if (!follower) continue;
      const activity = await deps.learning.learning.activity(follower.id);
      let hour: number | undefined;
      for (const enrolment of group) {
        const [course, outline] = await courseOf(enrolment.courseId);
        if (!course) continue;
        const progress = progressOf(course, follower, { courseId: course.id, followerId: follower.id, enrolledAt: enrolment.enrolledAt }, outline.chapters, activity, now);
        const about = reminderReasonOf(progress, activity, enrolment.lastRemindedAt, now, options.stalledAfterDays);
        if (!about) {
          counts.nothing_to_remind += 1;
          continue;
        }
        if (hour === undefined) {
          populationHour ??= await deps.reminders.populationPeakHour(new Date(now.getTime() - 30 * DAY_MS));
          hour = (await personaOf({ events: deps.events, clock: deps.learning.clock }, follower)).peakHour ?? populationHour ?? options.fallbackHour;
        }
        if (!isReminderDue(now, follower.timeZone, hour, quiet)) {
          counts.not_due += 1;
          continue;
        }
        const idleDays = Math.floor((now.getTime() - lastLearnedAt(progress, activity).getTime()) / DAY_MS);
        const replies = reminderReplies(progress, about, deps.links, now, idleDays);
        counts[await remind(deps, options, follower, enrolment, replies, { lessonId: about.lesson.lesson.id, reason: about.reason }, now)] += 1;
      }
    }
  }
  deps.logger.info({ ...counts }, 'lesson reminders pass finished');
  return counts;
}

async function remind(
  deps: LessonReminderDeps,
  options: LessonReminderOptions,
  follower: Follower,
  enrolment: ReminderEnrolment,
  replies: Reply[],
  about: Pick<ReminderClaim, 'lessonId' | 'reason'>,
  now: Date,
): Promise<ReminderOutcome> {
  const messenger = deps.messengers.get(enrolment.recipient.platform);
  // Not claimed: a process that has this platform's messenger may send it.
  if (!messenger) return 'no_messenger';
  const day = localDay(now, follower.timeZone);
  const claim: ReminderClaim = { followerId: follower.id, courseId: enrolment.courseId, localDay: day, ...about };
  if (!(await deps.reminders.claim(claim, { dailyLimit: options.dailyLimit, now, staleBefore: new Date(now.getTime() - options.leaseMs) }))) return 'already_reminded';
  const to = { followerId: follower.id, chatId: enrolment.recipient.chatId };
  const result = await messenger
    .send(to, replies, { purpose: 'service', idempotencyKey: `reminder:${follower.id}:${enrolment.courseId}:${day}` })
    .catch((error: unknown) => ({ status: 'failed' as const, reason: error instanceof Error ? error.message : String(error), isRetryable: true }));
  const at = deps.learning.clock.now();
  switch (result.status) {
    case 'sent':
      await deps.reminders.finish(claim, { status: 'sent', error: null, at });
      return 'sent';
    case 'blocked':
      await deps.reminders.finish(claim, { status: 'blocked', error: result.reason, at });
      return 'blocked';
    default: {
      // No retry the same day: a reminder is worth less than a second attempt's risk of nagging.
      const error = result.status === 'rate_limited' ? `rate limited for ${result.retryAfterMs} ms` : result.reason;
      deps.logger.warn({ followerId: follower.id, courseId: enrolment.courseId, error }, 'lesson reminder not sent');
      await deps.reminders.finish(claim, { status: 'failed', error, at });
      return 'failed';
    }
  }
}

function groupByFollower(rows: readonly ReminderEnrolment[]): ReminderEnrolment[][] {
  const groups = new Map<string, ReminderEnrolment[]>();
  for (const row of rows) groups.set(row.followerId, [...(groups.get(row.followerId) ?? []), row]);
  return [...groups.values()];
}
