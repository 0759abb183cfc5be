import { addDays, fromWallTime, isQuietMinute, toWallTime, type QuietHours } from '../guards/index.js';

/** The local hour used when neither the follower nor anybody else has any activity yet. */
const FALLBACK_HOUR = 20;

/** The hour with the most activity that is outside quiet hours, or undefined when the histogram is empty there. */
function busiestAllowedHour(hours: readonly number[] | undefined, quiet: QuietHours): number | undefined {
  if (!hours) return undefined;
  let best: number | undefined;
  for (let hour = 0; hour < 24; hour++) {
    if ((hours[hour] ?? 0) <= 0 || isQuietMinute(hour * 60, quiet)) continue;
    if (best === undefined || hours[hour]! > hours[best]!) best = hour;
  }
  return best;
}

/**
 * When a `best_time` broadcast goes to one follower: the next start, within 24 hours of `now`, of
 * the local hour they are most often active in (their own activity by local hour), else the hour the
 * whole audience is most active in, else 20:00 — never an hour inside quiet hours.
 *
 * @example
 * bestSendTime(now, 'Asia/Shanghai', follower24, population24, { start: '21:00', end: '09:00' }) // e.g. today 12:00 Shanghai
 */
export function bestSendTime(now: Date, timeZone: string, own: readonly number[] | undefined, population: readonly number[], quiet: QuietHours): Date {
  const hour = busiestAllowedHour(own, quiet) ?? busiestAllowedHour(population, quiet) ?? FALLBACK_HOUR;
  const wall = toWallTime(now, timeZone);
  const today = fromWallTime({ year: wall.year, month: wall.month, day: wall.day, hour, minute: 0 }, timeZone);
  return today > now ? today : fromWallTime(addDays({ year: wall.year, month: wall.month, day: wall.day, hour, minute: 0 }, 1), timeZone);
}
