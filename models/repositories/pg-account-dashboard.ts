import { sql } from 'drizzle-orm';
import type { Currency, DashboardData, DashboardQueries, DashboardRange } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray } from './pg-sql.js';

const PLATFORM_OF_IDENTITY = sql`case i.kind when 'telegram' then 'telegram' when 'wechat' then 'wechat' else 'miniprogram' end`;

const day = (value: Date | string): string => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()).slice(0, 10);

/**
 * The dashboard's aggregates, in SQL over followers, identities, events and orders. Days are UTC
 * calendar days. Course-level figures (funnel steps past engagement, revenue, top courses) are
 * limited to `courseIds` when given, which is how a creator sees only their own courses.
 */
export class PgDashboardQueries implements DashboardQueries {
  constructor(private readonly db: Db) {}

  async load(range: DashboardRange): Promise<DashboardData> {
    const courseIds = range.courseIds ? pgArray(range.courseIds) : null;
    const { from, to } = range;
    // Sequential on purpose: one connection inside PGlite, and the queries are small.
    const followersByDay = await this.followersByDay(from, to);
    const funnel = await this.funnel(from, to, courseIds);
    const revenueByDay = await queryRows<{ day: Date | string; currency: Currency; amount_minor: number; orders: number }>(
      this.db,
      sql`select date_trunc('day', paid_at at time zone 'UTC') as day, currency, sum(amount_minor)::int as amount_minor, count(*)::int as orders
          from orders where status = 'paid' and paid_at >= ${from} and paid_at < ${to}
            and (${courseIds}::uuid[] is null or course_id = any(${courseIds}::uuid[]))
          group by 1, 2 order by 1, 2`,
    );
    const revenueByCourse = await queryRows<{ course_id: string; title: string; currency: Currency; amount_minor: number; orders: number }>(
      this.db,
      sql`select o.course_id, c.title_zh || ' / ' || c.title_en as title, o.currency, sum(o.amount_minor)::int as amount_minor, count(*)::int as orders
          from orders o join courses c on c.id = o.course_id
          where o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to}
            and (${courseIds}::uuid[] is null or o.course_id = any(${courseIds}::uuid[]))
          group by 1, 2, 3 order by amount_minor desc`,
    );
    const conversionBySegment = await this.conversionBySegment(from, to, courseIds);
    const topCourses = await queryRows<{ course_id: string; title: string; views: number; purchases: number; amount_minor: number; currency: Currency }>(
      this.db,
      sql`select c.id as course_id, c.title_zh || ' / ' || c.title_en as title, c.currency,
            (select count(*)::int from events e where e.course_id = c.id and e.kind = 'view' and e.occurred_at >= ${from} and e.occurred_at < ${to}) as views,
            (select count(*)::int from orders o where o.course_id = c.id and o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to}) as purchases,
            (select coalesce(sum(o.amount_minor), 0)::int from orders o where o.course_id = c.id and o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to}) as amount_minor
          from courses c where (${courseIds}::uuid[] is null or c.id = any(${courseIds}::uuid[]))
          order by amount_minor desc, purchases desc, views desc, c.slug limit 10`,
    );
    return {
      followersByDay,
      funnel,
      revenueByDay: revenueByDay.map((r) => ({ day: day(r.day), currency: r.currency, amountMinor: r.amount_minor, orders: r.orders })),
      revenueByCourse: revenueByCourse.map((r) => ({ courseId: r.course_id, title: r.title, currency: r.currency, amountMinor: r.amount_minor, orders: r.orders })),
      conversionBySegment,
      topCourses: topCourses
        .filter((r) => r.views > 0 || r.purchases > 0)
        .map((r) => ({ courseId: r.course_id, title: r.title, views: r.views, purchases: r.purchases, amountMinor: r.amount_minor, currency: r.currency })),
    };
  }

  private async followersByDay(from: Date, to: Date): Promise<DashboardData['followersByDay']> {
    const rows = await queryRows<{ day: Date | string; platform: string; new_followers: number; total: number }>(
      this.db,
      sql`with firsts as (
            -- A follower counts from their first event (events can be backfilled), else from when we first saw the identity.
            select ${PLATFORM_OF_IDENTITY} as platform, i.follower_id,
              least(min(i.created_at), (select min(e.occurred_at) from events e where e.follower_id = i.follower_id)) as first_at
            from identities i group by 1, 2
          ), daily as (
            select date_trunc('day', first_at at time zone 'UTC') as day, platform, count(*)::int as new_followers
            from firsts where first_at < ${to} group by 1, 2
          )
          select day, platform, new_followers, (sum(new_followers) over (partition by platform order by day))::int as total
          from daily order by day, platform`,
    );
    const fromDay = day(from);
    return rows.map((r) => ({ day: day(r.day), platform: r.platform, newFollowers: r.new_followers, total: r.total })).filter((r) => r.day >= fromDay);
  }

  private async funnel(from: Date, to: Date, courseIds: string | null): Promise<DashboardData['funnel']> {
    // Followers active in the range; each later step counts those of them who reached it.
    const [row] = await queryRows<{ follow: number; engaged: number; viewed: number; checkout: number; purchase: number }>(
      this.db,
      sql`with active as (
            select e.follower_id, e.kind, e.course_id from events e where e.occurred_at >= ${from} and e.occurred_at < ${to}
          ), course_scoped as (
            select * from active where ${courseIds}::uuid[] is null or course_id = any(${courseIds}::uuid[])
          )
          select
            (select count(distinct follower_id)::int from active where kind = 'follow') as follow,
            (select count(distinct follower_id)::int from active where kind in ('message', 'click', 'like', 'share', 'comment')) as engaged,
            (select count(distinct follower_id)::int from course_scoped where kind = 'view') as viewed,
            (select count(distinct follower_id)::int from course_scoped where kind = 'checkout') as checkout,
            (select count(distinct follower_id)::int from orders o where o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to}
               and (${courseIds}::uuid[] is null or o.course_id = any(${courseIds}::uuid[]))) as purchase`,
    );
    const steps = ['follow', 'engaged', 'viewed', 'checkout', 'purchase'] as const;
    return steps.map((step) => ({ step, followers: row?.[step] ?? 0 }));
  }

  private async conversionBySegment(from: Date, to: Date, courseIds: string | null): Promise<DashboardData['conversionBySegment']> {
    // Segment = first platform × language: what the event log tells us without a trained model.
    const rows = await queryRows<{ segment: string; followers: number; buyers: number }>(
      this.db,
      sql`with platform_of as (
            select distinct on (i.follower_id) i.follower_id, ${PLATFORM_OF_IDENTITY} as platform
            from identities i order by i.follower_id, i.created_at
          ), buyers as (
            select distinct follower_id from orders o where o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to}
              and (${courseIds}::uuid[] is null or o.course_id = any(${courseIds}::uuid[]))
          )
          select coalesce(p.platform, 'api') || ' · ' || f.locale as segment, count(*)::int as followers, count(b.follower_id)::int as buyers
          from followers f left join platform_of p on p.follower_id = f.id left join buyers b on b.follower_id = f.id
          where least(f.created_at, (select min(e.occurred_at) from events e where e.follower_id = f.id)) < ${to}
          group by 1 order by 1`,
    );
    return rows.map((r) => ({ ...r, rate: r.followers ? r.buyers / r.followers : 0 }));
  }
}
