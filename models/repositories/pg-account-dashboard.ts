import { sql } from 'drizzle-orm';
import { FUNNEL_STEPS, type Currency, type DashboardData, type DashboardQueries, type DashboardRange, type FunnelStep } from '../../core/index.js';
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
    const followersByDay = await this.followersByDay(from, to, courseIds);
    const funnel = await this.funnel(from, to, courseIds);
    const revenueByDay = await queryRows<{ day: Date | string; currency: Currency; amount_minor: number; orders: number }>(
      this.db,
      sql`select date_trunc('day', paid_at at time zone 'UTC') as day, currency, sum(amount_minor)::int as amount_minor, count(*)::int as orders
          from orders where status = 'paid' and paid_at >= ${from} and paid_at < ${to}
            and (${courseIds}::uuid[] is null or course_id = any(${courseIds}::uuid[]))
          group by 1, 2 order by 1, 2`,
    );
    const revenueByCourse = await queryRows<{ course_id: string; title_zh: string; title_en: string; currency: Currency; amount_minor: number; orders: number }>(
      this.db,
      sql`select o.course_id, c.title_zh, c.title_en, o.currency, sum(o.amount_minor)::int as amount_minor, count(*)::int as orders
          from orders o join courses c on c.id = o.course_id
          where o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to}
            and (${courseIds}::uuid[] is null or o.course_id = any(${courseIds}::uuid[]))
          group by 1, 2, 3, 4 order by amount_minor desc`,
    );
    const conversionBySegment = await this.conversionBySegment(from, to, courseIds);
    // Revenue per currency (a course sells for yuan on WeChat and Stars on Telegram): never summed across them.
    const topCourses = await queryRows<{ course_id: string; title_zh: string; title_en: string; views: number; purchases: number; revenue: { currency: Currency; amountMinor: number }[] | null }>(
      this.db,
      sql`select c.id as course_id, c.title_zh, c.title_en,
            (select count(*)::int from events e where e.course_id = c.id and e.kind = 'view' and e.occurred_at >= ${from} and e.occurred_at < ${to}) as views,
            (select count(*)::int from orders o where o.course_id = c.id and o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to}) as purchases,
            (select json_agg(json_build_object('currency', r.currency, 'amountMinor', r.amount_minor) order by r.currency) from (
               select o.currency, sum(o.amount_minor)::int as amount_minor from orders o
               where o.course_id = c.id and o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to} group by o.currency) r) as revenue
          from courses c where (${courseIds}::uuid[] is null or c.id = any(${courseIds}::uuid[]))
          order by purchases desc, views desc, c.slug limit 10`,
    );
    return {
      followersByDay,
      funnel,
      revenueByDay: revenueByDay.map((r) => ({ day: day(r.day), currency: r.currency, amountMinor: r.amount_minor, orders: r.orders })),
      revenueByCourse: revenueByCourse.map((r) => ({ courseId: r.course_id, titleZh: r.title_zh, titleEn: r.title_en, currency: r.currency, amountMinor: r.amount_minor, orders: r.orders })),
      conversionBySegment,
      topCourses: topCourses
        .filter((r) => r.views > 0 || r.purchases > 0)
        .map((r) => ({ courseId: r.course_id, titleZh: r.title_zh, titleEn: r.title_en, views: r.views, purchases: r.purchases, revenue: r.revenue ?? [] })),
    };
  }

  private async followersByDay(from: Date, to: Date, courseIds: string | null): Promise<DashboardData['followersByDay']> {
    // A follower counts from their first event (events can be backfilled), else from when we first
    // saw the identity; a creator's followers count from when they first touched one of the creator's courses.
    const firsts = courseIds === null
      ? sql`select ${PLATFORM_OF_IDENTITY} as platform, i.follower_id,
              least(min(i.created_at), (select min(e.occurred_at) from events e where e.follower_id = i.follower_id)) as first_at
            from identities i group by 1, 2`
      : sql`select coalesce((select ${PLATFORM_OF_IDENTITY} from identities i where i.follower_id = t.follower_id order by i.created_at limit 1), 'api') as platform,
              t.follower_id, min(t.at) as first_at
            from (${touchedCourses(courseIds)}) t group by t.follower_id`;
    const rows = await queryRows<{ day: Date | string; platform: string; new_followers: number; total: number }>(
      this.db,
      sql`with firsts as (${firsts}), daily as (
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
    // Each follower active in the range gets the furthest step they reached (a paid order is the
    // last step even without a checkout event); a step counts everyone at or past it, so every
    // step is a subset of the one before. A creator's funnel has only events on their courses.
    const [row] = await queryRows<Record<FunnelStep, number>>(
      this.db,
      sql`with reached as (
            select e.follower_id,
              case e.kind when 'checkout' then 3 when 'view' then 2 when 'message' then 1 when 'click' then 1 when 'like' then 1 when 'share' then 1 when 'comment' then 1 else 0 end as step
            from events e
            where e.occurred_at >= ${from} and e.occurred_at < ${to} and (${courseIds}::uuid[] is null or e.course_id = any(${courseIds}::uuid[]))
            union all
            select o.follower_id, 4 from orders o
            where o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to} and o.follower_id is not null
              and (${courseIds}::uuid[] is null or o.course_id = any(${courseIds}::uuid[]))
          ), furthest as (select follower_id, max(step) as step from reached group by follower_id)
          select count(*)::int as active, (count(*) filter (where step >= 1))::int as engaged, (count(*) filter (where step >= 2))::int as viewed,
            (count(*) filter (where step >= 3))::int as checkout, (count(*) filter (where step >= 4))::int as purchase
          from furthest`,
    );
    return FUNNEL_STEPS.map((step, i) => {
      const followers = row?.[step] ?? 0;
      const before = i === 0 ? null : (row?.[FUNNEL_STEPS[i - 1]!] ?? 0);
      return { step, followers, rate: before ? followers / before : null };
    });
  }

  private async conversionBySegment(from: Date, to: Date, courseIds: string | null): Promise<DashboardData['conversionBySegment']> {
    // Segment = first platform × language: what the event log tells us without a trained model.
    // A creator's segments hold only followers who touched one of their courses before the range ended.
    const rows = await queryRows<{ platform: string; locale: string; followers: number; buyers: number }>(
      this.db,
      sql`with platform_of as (
            select distinct on (i.follower_id) i.follower_id, ${PLATFORM_OF_IDENTITY} as platform
            from identities i order by i.follower_id, i.created_at
          ), buyers as (
            select distinct follower_id from orders o where o.status = 'paid' and o.paid_at >= ${from} and o.paid_at < ${to}
              and (${courseIds}::uuid[] is null or o.course_id = any(${courseIds}::uuid[]))
          ), audience as (
            select f.id, f.locale, f.created_at from followers f
            where ${courseIds}::uuid[] is null
               or f.id in (select t.follower_id from (${touchedCourses(courseIds ?? '{}')}) t where t.at < ${to})
          )
          select coalesce(p.platform, 'api') as platform, f.locale, count(*)::int as followers, count(b.follower_id)::int as buyers
          from audience f left join platform_of p on p.follower_id = f.id left join buyers b on b.follower_id = f.id
          where least(f.created_at, (select min(e.occurred_at) from events e where e.follower_id = f.id)) < ${to}
          group by 1, 2 order by 1, 2`,
    );
    return rows.map((r) => ({ ...r, rate: r.followers ? r.buyers / r.followers : 0 }));
  }
}

/** Every time a follower touched one of these courses: an event on it, or an order for it (rows `follower_id, at`). */
function touchedCourses(courseIds: string) {
  return sql`select e.follower_id, e.occurred_at as at from events e where e.course_id = any(${courseIds}::uuid[])
    union all
    select o.follower_id, coalesce(o.paid_at, o.created_at) as at from orders o where o.follower_id is not null and o.course_id = any(${courseIds}::uuid[])`;
}
