import { toWallTime } from '../guards/zoned-time.js';
import { DAY_MS } from './unlock-schedule.js';

/** Consecutive local days with learning: the run that is still alive, and the longest ever. */
export interface Streak {
  currentDays: number;
  longestDays: number;
  /** The learner's local date (YYYY-MM-DD) of their last learning day, if any. */
  lastDay: string | null;
}

/** The calendar date a clock in `timeZone` shows at `instant`, as YYYY-MM-DD. */
export function localDay(instant: Date, timeZone: string): string {
  const w = toWallTime(instant, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

/**
 * Streaks from the instants a learner checked in or completed a lesson, counted in calendar days
 * of their own time zone. The current streak ends today, or yesterday when today has nothing yet
 * (the day is not over); a missed day resets it.
 *
 * @example
 * computeStreak([mondayNight, tuesdayMorning], 'Asia/Shanghai', wednesdayNoon); // { currentDays: 2, longestDays: 2, lastDay: '…' }
 */
export function computeStreak(instants: readonly Date[], timeZone: string, now: Date): Streak {
  const days = [...new Set(instants.map((at) => dayNumber(localDay(at, timeZone))))].sort((a, b) => a - b);
  if (days.length === 0) return { currentDays: 0, longestDays: 0, lastDay: null };
  let longest = 1;
  let run = 1;
  for (let i = 1; i < days.length; i++) {
    run = days[i] === days[i - 1]! + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  const today = dayNumber(localDay(now, timeZone));
  const last = days[days.length - 1]!;
  const current = last === today || last === today - 1 ? run : 0;
  return { currentDays: current, longestDays: longest, lastDay: new Date(last * DAY_MS).toISOString().slice(0, 10) };
}
