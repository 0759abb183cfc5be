import { NotFoundError } from '../errors.js';
import type { Platform } from '../events/event-types.js';
import { recordEvents } from '../events/record-events.js';
import type { Reply } from '../dialog/reply.js';
import { requireEnrolment, type LearningDeps } from './course-progress.js';
import { learningText } from './learning-text.js';
import { computeStreak, localDay, type Streak } from './streaks.js';

const CHINESE_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** `3`, `十二`, `二十一` → a number (1–999), else null. */
function dayNumber(text: string): number | null {
  if (/^\d{1,3}$/.test(text)) return Number(text) || null;
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || text === '') return null;
  if (!m[2]) return m[1] && !m[3] ? CHINESE_DIGITS[m[1]]! : null;
  return (m[1] ? CHINESE_DIGITS[m[1]]! : 1) * 10 + (m[3] ? CHINESE_DIGITS[m[3]]! : 0);
}

/**
 * Whether a chat message is a check-in (打卡), and the day it names: `打卡`, `打卡 第3天`,
 * `第三天打卡`, `签到`, `check in`, `check-in day 3`. Null for anything else.
 *
 * @example
 * parseCheckIn('打卡 第3天'); // { day: 3 }
 * parseCheckIn('check in');   // { day: null }
 */
export function parseCheckIn(text: string): { day: number | null } | null {
  const t = text.trim().toLowerCase();
  const zh = /^(?:(?:第\s*([0-9一二两三四五六七八九十]{1,4})\s*天\s*)?(?:打卡|签到)(?:\s*第\s*([0-9一二两三四五六七八九十]{1,4})\s*天)?)[!！。.\s]*$/.exec(t);
  if (zh) return { day: dayNumber(zh[1] ?? zh[2] ?? '') };
  const en = /^check[\s-]?in(?:\s+day\s*(\d{1,3}))?[!.\s]*$/.exec(t);
  if (en) return { day: en[1] ? Number(en[1]) : null };
  return null;
}

/**
 * A daily check-in (打卡): a `check_in` event, at most one per course and local day in the
 * follower's time zone (a second one the same day is not new), the streak after it, and the
 * reply to send. With a course, only for followers with an active purchase of it.
 *
 * @example
 * const { streak, replies } = await checkIn(deps, { followerId, courseId, text: '打卡 第3天', platform: 'wechat' });
 */
export async function checkIn(
  deps: LearningDeps,
  input: { followerId: string; courseId?: string; text?: string; platform: Platform },
): Promise<{ isNew: boolean; day: number | null; streak: Streak; replies: Reply[] }> {
  const follower = await deps.followers.findById(input.followerId);
  if (!follower) throw new NotFoundError('follower_not_found', `No follower ${input.followerId}.`);
  if (input.courseId) {
    const course = await deps.courses.findById(input.courseId);
    if (!course) throw new NotFoundError('course_not_found', `No course ${input.courseId}.`);
    await requireEnrolment(deps, follower.id, course);
  }
  const now = deps.clock.now();
  const day = input.text ? (parseCheckIn(input.text)?.day ?? null) : null;
  const [result] = await recordEvents(deps.events, [
    {
      kind: 'check_in',
      platform: input.platform,
      externalId: `check_in:${follower.id}:${input.courseId ?? 'any'}:${localDay(now, follower.timeZone)}`,
      followerId: follower.id,
      ...(input.courseId ? { courseId: input.courseId } : {}),
      payload: { ...(day === null ? {} : { day }), ...(input.text ? { text: input.text.slice(0, 200) } : {}) },
      occurredAt: now.toISOString(),
    },
  ]);
  const isNew = result?.status === 'recorded';
  const streak = computeStreak((await deps.learning.activity(follower.id)).map((a) => a.occurredAt), follower.timeZone, now);
  const text = learningText(follower.locale);
  return { isNew, day, streak, replies: [{ type: 'text', text: isNew ? text.checkedIn(streak.currentDays) : text.alreadyCheckedIn(streak.currentDays) }] };
}
