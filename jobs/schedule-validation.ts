import { CronExpressionParser } from 'cron-parser';
import cron from 'node-cron';

/** Whether the runtime knows an IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The next `count` fire times of a cron expression in a zone, or an error message saying what is
 * wrong. Both node-cron (which fires) and cron-parser (which predicts) must accept the expression.
 *
 * @example
 * nextRunTimes('0 9 * * 1-5', 'Asia/Shanghai', new Date(), 5); // { ok: true, times: [Date, …] }
 */
export function nextRunTimes(expression: string, timeZone: string, from: Date, count: number): { ok: true; times: Date[] } | { ok: false; message: string } {
  if (!isKnownTimeZone(timeZone)) return { ok: false, message: `unknown time zone ${JSON.stringify(timeZone)}; use an IANA name such as Asia/Shanghai or UTC` };
  const fields = expression.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) return { ok: false, message: `a cron expression has 5 fields (minute hour day month weekday) or 6 with seconds first; got ${fields}` };
  if (!cron.validate(expression)) {
    const detail = cron.validateDetailed(expression).errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return { ok: false, message: `invalid cron expression ${JSON.stringify(expression)}${detail ? ` (${detail})` : ''}` };
  }
  try {
    const parsed = CronExpressionParser.parse(expression, { tz: timeZone, currentDate: from });
    return { ok: true, times: parsed.take(count).map((d) => d.toDate()) };
  } catch (error) {
    return { ok: false, message: `invalid cron expression ${JSON.stringify(expression)}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The latest fire time of a (valid) cron expression in a zone at or before `at`.
 *
 * @example
 * latestRunTime('0 8 * * *', 'Asia/Shanghai', new Date('2026-01-02T03:00:00Z')); // 2026-01-02T00:00:00Z (08:00 in Shanghai)
 */
export function latestRunTime(expression: string, timeZone: string, at: Date): Date {
  // cron-parser's prev() is strictly before currentDate; a tick exactly at `at` counts too.
  return CronExpressionParser.parse(expression, { tz: timeZone, currentDate: new Date(at.getTime() + 1) }).prev().toDate();
}
