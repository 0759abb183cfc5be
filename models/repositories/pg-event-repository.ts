import { inArray, sql } from 'drizzle-orm';
import type { Currency, EventKind, EventRepository, NewEvent, PersonaStats } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { courses, events } from '../schema.js';

export class PgEventRepository implements EventRepository {
  constructor(private readonly db: Db) {}

  async append(newEvents: readonly NewEvent[]): Promise<Map<string, number>> {
    const inserted = new Map<string, number>();
    if (newEvents.length === 0) return inserted;
    const rows = await this.db
      .insert(events)
      .values(newEvents.map((e) => ({ ...e })))
      .onConflictDoNothing({ target: [events.platform, events.externalId] })
      .returning({ id: events.id, platform: events.platform, externalId: events.externalId });
    for (const row of rows) inserted.set(`${row.platform}:${row.externalId}`, row.id);
    return inserted;
  }

  async personaStats(followerId: string, timeZone: string, now: Date, halfLifeDays: number): Promise<PersonaStats> {
    const at = now.toISOString();
    const decay = sql`exp(-ln(2) * greatest(0, extract(epoch from (${at}::timestamptz - occurred_at))) / (86400.0 * ${halfLifeDays}))`;
    const [summary, byKindAndCourse, hours, terms, spent] = await Promise.all([
      queryRows<{ first: string | null; last: string | null; n: number; n14: number; n30: number }>(
        this.db,
        sql`select min(occurred_at)::text as first, max(occurred_at)::text as last, count(*)::int as n,
                   (count(*) filter (where occurred_at > ${at}::timestamptz - interval '14 days' and kind not in ('follow', 'unfollow')))::int as n14,
                   (count(*) filter (where occurred_at > ${at}::timestamptz - interval '30 days'))::int as n30
            from events where follower_id = ${followerId}`,
      ),
      queryRows<{ kind: EventKind; course_id: string | null; n: number; decayed: number }>(
        this.db,
        sql`select kind, course_id, count(*)::int as n, sum(${decay})::float8 as decayed
            from events where follower_id = ${followerId} and kind <> 'message' group by kind, course_id`,
      ),
      queryRows<{ h: number; n: number }>(
        this.db,
        sql`select extract(hour from occurred_at at time zone ${timeZone})::int as h, count(*)::int as n
            from events where follower_id = ${followerId} group by 1`,
      ),
      queryRows<{ term: string; decayed: number }>(
        this.db,
        sql`select t.term, sum(${decay})::float8 as decayed
            from events, unnest(terms) as t(term)
            where follower_id = ${followerId} and kind = 'message' group by t.term`,
      ),
      queryRows<{ currency: Currency; amount: number }>(
        this.db,
        sql`select o.currency, (sum(case when o.status = 'paid' then o.amount_minor else 0 end))::int as amount
            from orders o where o.follower_id = ${followerId} and o.status in ('paid', 'refunded') group by o.currency`,
      ),
    ]);
    const courseIds = [...new Set(byKindAndCourse.flatMap((r) => (r.course_id ? [r.course_id] : [])))];
    const courseRows = courseIds.length
      ? await this.db
          .select({ id: courses.id, tags: courses.tags, priceMinor: courses.priceMinor, currency: courses.currency })
          .from(courses)
          .where(inArray(courses.id, courseIds))
      : [];
    const hourHistogram = new Array<number>(24).fill(0);
    for (const { h, n } of hours) hourHistogram[h] = n;
    const s = summary[0];
    return {
      firstSeenAt: s?.first ? new Date(s.first) : null,
      lastSeenAt: s?.last ? new Date(s.last) : null,
      eventCount: s?.n ?? 0,
      interactionsLast14d: s?.n14 ?? 0,
      eventsLast30d: s?.n30 ?? 0,
      byKindAndCourse: byKindAndCourse.map((r) => ({ kind: r.kind, courseId: r.course_id, count: r.n, decayed: Number(r.decayed) })),
      courses: courseRows.map((c) => ({ ...c, currency: c.currency as Currency })),
      messageTerms: terms.map((t) => ({ term: t.term, decayed: Number(t.decayed) })),
      hourHistogram,
      spent: spent.map((r) => ({ currency: r.currency, amountMinor: r.amount })),
    };
  }
}
