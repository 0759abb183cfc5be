import { isReminderDue, learningActionOf, LEARNING_ACTIONS, parseReminderSwitch } from '../../../core/index.js';

const QUIET = { start: '21:00', end: '09:00' };

describe('lesson reminder rules', () => {
  it('is due from the follower’s hour (in their zone) until quiet hours begin', () => {
    // Asia/Shanghai is UTC+8: 11:00Z is 19:00 there.
    expect(isReminderDue(new Date('2026-03-03T10:59:00Z'), 'Asia/Shanghai', 19, QUIET)).toBe(false);
    expect(isReminderDue(new Date('2026-03-03T11:00:00Z'), 'Asia/Shanghai', 19, QUIET)).toBe(true);
    expect(isReminderDue(new Date('2026-03-03T12:59:00Z'), 'Asia/Shanghai', 19, QUIET)).toBe(true);
    expect(isReminderDue(new Date('2026-03-03T13:00:00Z'), 'Asia/Shanghai', 19, QUIET)).toBe(false); // 21:00, quiet
  });

  it('moves an hour inside quiet hours to the end of the quiet window', () => {
    expect(isReminderDue(new Date('2026-03-03T00:59:00Z'), 'Asia/Shanghai', 23, QUIET)).toBe(false); // 08:59
    expect(isReminderDue(new Date('2026-03-03T01:00:00Z'), 'Asia/Shanghai', 23, QUIET)).toBe(true); // 09:00
    expect(isReminderDue(new Date('2026-03-03T15:30:00Z'), 'America/New_York', 7, QUIET)).toBe(true); // 10:30 EST
  });

  it('reads the reminder switch in both languages, and the reminder button', () => {
    expect(['不要提醒', '别提醒我了', '关闭提醒', 'stop reminders', 'No reminders!'].map(parseReminderSwitch)).toEqual([false, false, false, false, false]);
    expect(['开启提醒', '恢复学习提醒', 'resume reminders', 'turn on reminders'].map(parseReminderSwitch)).toEqual([true, true, true, true]);
    expect(['提醒', '不要', 'reminders', '打卡'].map(parseReminderSwitch)).toEqual([null, null, null, null]);
    const courseId = '8c1f2a3b-0000-4000-8000-000000000001';
    expect(LEARNING_ACTIONS.stopReminders(courseId).length).toBeLessThanOrEqual(64);
    expect(learningActionOf(LEARNING_ACTIONS.stopReminders(courseId))).toEqual({ kind: 'stop_reminders', courseId });
  });
});
