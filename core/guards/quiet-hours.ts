import { addDays, fromWallTime, toWallTime } from './zoned-time.js';

/** Local times of day as `HH:MM`; the window may wrap midnight (`21:00`–`09:00`). Equal ends mean no quiet hours. */
export interface QuietHours {
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an `HH:MM` string; throws on anything else. */
export function parseTimeOfDay(text: string): number {
  const match = HHMM.exec(text);
  if (!match) throw new RangeError(`expected a time of day as HH:MM (00:00 to 23:59), got ${JSON.stringify(text)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Whether `minute` (after local midnight) is inside the quiet window. */
export function isQuietMinute(minute: number, quiet: QuietHours): boolean {
  const start = parseTimeOfDay(quiet.start);
  const end = parseTimeOfDay(quiet.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The earliest instant at or after `now` when a marketing message may reach a follower in
 * `timeZone`: `now` itself outside quiet hours, else the end of the quiet window on the right local
 * date, converted back to UTC with that date's offset (so DST changes are honoured). Messages are
 * held until then, never dropped.
 *
 * @example
 * nextAllowedTime(new Date('2026-11-28T15:00:00Z'), 'Asia/Shanghai', { start: '21:00', end: '09:00' }); // 2026-11-29T01:00:00Z
 */
export function nextAllowedTime(now: Date, timeZone: string, quiet: QuietHours): Date {
  const wall = toWallTime(now, timeZone);
  const minute = wall.hour * 60 + wall.minute;
  if (!isQuietMinute(minute, quiet)) return now;
  const end = parseTimeOfDay(quiet.end);
  // Before local midnight in a wrapping window, the window ends tomorrow.
  const endDate = minute >= end ? addDays(wall, 1) : wall;
  return fromWallTime({ year: endDate.year, month: endDate.month, day: endDate.day, hour: Math.floor(end / 60), minute: end % 60 }, timeZone);
}
