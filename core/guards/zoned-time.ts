/** A wall-clock reading in some time zone. Months are 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * What a clock in `timeZone` shows at `instant`.
 *
 * @example
 * toWallTime(new Date('2026-03-08T07:30:00Z'), 'America/New_York'); // { hour: 3, minute: 30, ... } (EDT)
 */
export function toWallTime(instant: Date, timeZone: string): Required<WallTime> {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']! % 24, minute: parts['minute']!, second: parts['second']! };
}

/** The zone's offset from UTC at `instant`, in milliseconds (east positive). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const w = toWallTime(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/**
 * The instant a clock in `timeZone` shows `wall`. Across DST: a wall time that happens twice (fall
 * back) gives the earlier instant; one that never happens (spring forward gap) is moved forward by
 * the length of the gap, like Temporal's `compatible` disambiguation.
 *
 * @example
 * fromWallTime({ year: 2026, month: 3, day: 8, hour: 9, minute: 0 }, 'America/New_York'); // 2026-03-08T13:00:00Z
 */
export function fromWallTime(wall: WallTime, timeZone: string): Date {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  // Offsets a day either side bracket at most one transition.
  const before = zoneOffsetMs(new Date(local - DAY_MS), timeZone);
  const after = zoneOffsetMs(new Date(local + DAY_MS), timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => local - offset)
    .filter((t) => sameWall(toWallTime(new Date(t), timeZone), wall))
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]!);
  return new Date(local - before);
}

function sameWall(a: Required<WallTime>, b: WallTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === (b.second ?? 0);
}

/** The calendar date of `instant` in `timeZone`, as `YYYY-MM-DD`. */
export function localDayKey(instant: Date, timeZone: string): string {
  const w = toWallTime(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The ISO week (`YYYY-Www`) that `instant` falls in, in `timeZone`. */
export function localWeekKey(instant: Date, timeZone: string): string {
  const w = toWallTime(instant, timeZone);
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day));
  const weekday = date.getUTCDay() || 7;
  // The Thursday of this week decides the ISO year.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${date.getUTCFullYear()}-W${pad(week)}`;
}

/** Adds whole calendar days to a wall date (month and year roll over). */
export function addDays(wall: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
