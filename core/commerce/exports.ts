import { toMajorUnits, type Currency } from '../catalog/course.js';

/** One paid, refunded, pending or cancelled order as exports read it. */
export interface OrderExportRow {
  orderId: string;
  createdAt: Date;
  paidAt: Date | null;
  refundedAt: Date | null;
  status: string;
  courseId: string;
  courseTitleZh: string;
  courseTitleEn: string;
  provider: string;
  currency: Currency;
  amountMinor: number;
  originalAmountMinor: number | null;
  couponCode: string | null;
  followerId: string | null;
}

/** A learner of a course: who owns (or owned) it, since when, and how far they got. */
export interface LearnerExportRow {
  followerId: string;
  displayName: string | null;
  locale: string;
  courseId: string;
  courseTitleZh: string;
  courseTitleEn: string;
  grantedAt: Date;
  revokedAt: Date | null;
  lessonsCompleted: number;
  lessonsTotal: number;
  lastLearningAt: Date | null;
}

export const REVENUE_GROUPS = ['course', 'channel', 'coupon'] as const;
export type RevenueGroup = (typeof REVENUE_GROUPS)[number];

/** Which orders an export covers: created (orders, learners: granted) within [from, to), on these courses (absent: all). */
export interface ExportScope {
  from: Date;
  to: Date;
  courseIds?: readonly string[];
}

/**
 * The reads behind the CSV exports; each returns rows in time order, scoped to courses.
 *
 * @example
 * const rows = await exports.orders({ from, to, courseIds: mine });
 */
export interface ExportQueries {
  orders(scope: ExportScope): Promise<OrderExportRow[]>;
  learners(scope: ExportScope): Promise<LearnerExportRow[]>;
  /** The account's own time zone (null: no such account). */
  accountTimeZone(accountId: string): Promise<string | null>;
  /** Ids of the courses this creator owns. */
  creatorCourseIds(creatorId: string): Promise<string[]>;
}

/** The channel an order was sold on, from its provider. */
export function channelOf(provider: string): string {
  if (provider === 'telegram_stars') return 'telegram';
  if (provider === 'wechat_pay' || provider === 'wechat_virtual') return 'miniprogram';
  return provider;
}

/** A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with `'`. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV text (RFC 4180, CRLF, a UTF-8 BOM so spreadsheet programs read Chinese) from a header and rows.
 *
 * @example
 * toCsv(['a', 'b'], [[1, 'x,y']]) // '\uFEFFa,b\r\n1,"x,y"\r\n'
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/**
 * A time as wall-clock text in a time zone, `2026-03-01 21:05:09`.
 *
 * @example
 * localTime(new Date('2026-03-01T13:05:09Z'), 'Asia/Shanghai') // '2026-03-01 21:05:09'
 */
export function localTime(at: Date | null, timeZone: string): string | null {
  if (!at) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const money = (amountMinor: number | null, currency: Currency) => (amountMinor === null ? null : toMajorUnits({ amountMinor, currency }));

/** The orders CSV: one row per order, times in `timeZone`, amounts in major units with their currency. */
export function ordersCsv(rows: readonly OrderExportRow[], timeZone: string): string {
  return toCsv(
    ['order_id', `created_at (${timeZone})`, `paid_at (${timeZone})`, `refunded_at (${timeZone})`, 'status', 'course_id', 'course_zh', 'course_en', 'channel', 'provider', 'currency', 'amount', 'original_amount', 'discount', 'coupon', 'follower_id'],
    rows.map((r) => [
      r.orderId, localTime(r.createdAt, timeZone), localTime(r.paidAt, timeZone), localTime(r.refundedAt, timeZone), r.status, r.courseId, r.courseTitleZh, r.courseTitleEn,
      channelOf(r.provider), r.provider, r.currency, money(r.amountMinor, r.currency), money(r.originalAmountMinor ?? r.amountMinor, r.currency),
      money((r.originalAmountMinor ?? r.amountMinor) - r.amountMinor, r.currency), r.couponCode, r.followerId,
    ]),
  );
}

/**
 * Revenue per course, channel or coupon and currency (never summed across currencies): paid orders
 * (paid within the range), their gross, what was refunded of them, net, and the discount given.
 */
export function revenueCsv(rows: readonly OrderExportRow[], by: RevenueGroup): string {
  const groups = new Map<string, { key: string; label: string; currency: Currency; orders: number; gross: number; refunded: number; discount: number }>();
  for (const r of rows) {
    if (!r.paidAt) continue;
    const [key, label] = by === 'course' ? [r.courseId, `${r.courseTitleZh} / ${r.courseTitleEn}`] : by === 'channel' ? [channelOf(r.provider), channelOf(r.provider)] : [r.couponCode ?? '', r.couponCode ?? '(none)'];
    const id = `${key}\u0000${r.currency}`;
    const g = groups.get(id) ?? { key, label, currency: r.currency, orders: 0, gross: 0, refunded: 0, discount: 0 };
    g.orders += 1;
    g.gross += r.amountMinor;
    if (r.refundedAt) g.refunded += r.amountMinor;
    g.discount += (r.originalAmountMinor ?? r.amountMinor) - r.amountMinor;
    groups.set(id, g);
  }
  const sorted = [...groups.values()].sort((a, b) => a.currency.localeCompare(b.currency) || b.gross - a.gross || a.label.localeCompare(b.label));
  return toCsv(
    [by, ...(by === 'course' ? ['course_id'] : []), 'currency', 'paid_orders', 'gross', 'refunded', 'net', 'discount_given'],
    sorted.map((g) => [g.label, ...(by === 'course' ? [g.key] : []), g.currency, g.orders, money(g.gross, g.currency), money(g.refunded, g.currency), money(g.gross - g.refunded, g.currency), money(g.discount, g.currency)]),
  );
}

/** The learners CSV: one row per follower and course, with progress and times in `timeZone`. */
export function learnersCsv(rows: readonly LearnerExportRow[], timeZone: string): string {
  return toCsv(
    ['follower_id', 'name', 'language', 'course_id', 'course_zh', 'course_en', `enrolled_at (${timeZone})`, `access_ended_at (${timeZone})`, 'lessons_completed', 'lessons_total', `last_learning_at (${timeZone})`],
    rows.map((r) => [
      r.followerId, r.displayName, r.locale, r.courseId, r.courseTitleZh, r.courseTitleEn, localTime(r.grantedAt, timeZone), localTime(r.revokedAt, timeZone),
      r.lessonsCompleted, r.lessonsTotal, localTime(r.lastLearningAt, timeZone),
    ]),
  );
}
