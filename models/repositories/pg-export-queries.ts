import { sql, type SQL } from 'drizzle-orm';
import type { Currency, ExportQueries, ExportScope, LearnerExportRow, OrderExportRow } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray, toDate, toDateOrNull, tsParam, type PgTimestamp } from './pg-sql.js';

const MAX_ROWS = 100_000;

function courseFilter(column: SQL, scope: ExportScope): SQL {
  return scope.courseIds ? sql`AND ${column} = any(${pgArray(scope.courseIds)}::uuid[])` : sql``;
}

/** The CSV exports' reads over orders, coupons, entitlements and learning events. */
export class PgExportQueries implements ExportQueries {
  constructor(private readonly db: Db) {}

  async orders(scope: ExportScope): Promise<OrderExportRow[]> {
    const rows = await queryRows<{
      id: string; created_at: PgTimestamp; paid_at: PgTimestamp | null; refunded_at: PgTimestamp | null; status: string; course_id: string; title_zh: string; title_en: string;
      provider: string; currency: string; amount_minor: number; original_amount_minor: number | null; coupon_code: string | null; follower_id: string | null;
    }>(
      this.db,
      sql`SELECT o.id, o.created_at, o.paid_at, o.refunded_at, o.status, o.course_id, c.title_zh, c.title_en, o.provider, o.currency, o.amount_minor, o.original_amount_minor,
                 r.code AS coupon_code, o.follower_id
          FROM orders o JOIN courses c ON c.id = o.course_id LEFT JOIN coupon_redemptions r ON r.order_id = o.id
          WHERE o.created_at >= ${tsParam(scope.from)} AND o.created_at < ${tsParam(scope.to)} ${courseFilter(sql`o.course_id`, scope)}
          ORDER BY o.created_at, o.id LIMIT ${MAX_ROWS}`,
    );
    return rows.map((r) => ({
      orderId: r.id, createdAt: toDate(r.created_at), paidAt: toDateOrNull(r.paid_at), refundedAt: toDateOrNull(r.refunded_at), status: r.status, courseId: r.course_id,
      courseTitleZh: r.title_zh, courseTitleEn: r.title_en, provider: r.provider, currency: r.currency as Currency, amountMinor: r.amount_minor,
      originalAmountMinor: r.original_amount_minor, couponCode: r.coupon_code, followerId: r.follower_id,
    }));
  }

  async accountTimeZone(accountId: string): Promise<string | null> {
    const [row] = await queryRows<{ time_zone: string }>(this.db, sql`SELECT time_zone FROM accounts WHERE id = ${accountId}`);
    return row?.time_zone ?? null;
  }

  async creatorCourseIds(creatorId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(this.db, sql`SELECT id FROM courses WHERE creator_id = ${creatorId}`);
    return rows.map((r) => r.id);
  }

  async learners(scope: ExportScope): Promise<LearnerExportRow[]> {
    const rows = await queryRows<{
      follower_id: string; display_name: string | null; locale: string; course_id: string; title_zh: string; title_en: string; granted_at: PgTimestamp; revoked_at: PgTimestamp | null;
      completed: number; total: number; last_at: PgTimestamp | null;
    }>(
      this.db,
      sql`SELECT e.follower_id, f.display_name, f.locale, e.course_id, c.title_zh, c.title_en, e.granted_at, e.revoked_at,
                 (SELECT count(DISTINCT ev.payload->>'lessonId') FROM events ev
                   WHERE ev.follower_id = e.follower_id AND ev.course_id = e.course_id AND ev.kind = 'lesson_complete' AND ev.payload ? 'lessonId')::int AS completed,
                 (SELECT count(*) FROM course_lessons l WHERE l.course_id = e.course_id)::int AS total,
                 (SELECT max(ev.occurred_at) FROM events ev
                   WHERE ev.follower_id = e.follower_id AND ev.course_id = e.course_id AND ev.kind IN ('lesson_open', 'lesson_complete', 'check_in')) AS last_at
          FROM entitlements e JOIN followers f ON f.id = e.follower_id JOIN courses c ON c.id = e.course_id
          WHERE e.granted_at >= ${tsParam(scope.from)} AND e.granted_at < ${tsParam(scope.to)} ${courseFilter(sql`e.course_id`, scope)}
          ORDER BY e.granted_at, e.follower_id LIMIT ${MAX_ROWS}`,
    );
    return rows.map((r) => ({
      followerId: r.follower_id, displayName: r.display_name, locale: r.locale, courseId: r.course_id, courseTitleZh: r.title_zh, courseTitleEn: r.title_en,
      grantedAt: toDate(r.granted_at), revokedAt: toDateOrNull(r.revoked_at), lessonsCompleted: r.completed, lessonsTotal: r.total, lastLearningAt: toDateOrNull(r.last_at),
    }));
  }
}
