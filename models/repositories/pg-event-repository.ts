import { inArray, sql } from 'drizzle-orm';
import type { Currency, EventKind, EventRepository, NewEvent, PersonaStats } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { courses } from '../schema.js';

const DAY_MS = 86_400_000;

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** Hour of day (0–23) of a UTC instant in a time zone; one formatter per zone, built once (building one costs more than a query). */
function localHourIn(timeZone: string): (atMs: number) => number {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
    hourFormats.set(timeZone, format);
  }
  const f = format;
  return (atMs) => Number(f.format(atMs)) % 24;
}

export class PgEventRepository implements EventRepository {
  constructor(private readonly db: Db) {}

  async append(newEvents: readonly NewEvent[]): Promise<Map<string, number>> {
    const inserted = new Map<string, number>();
    if (newEvents.length === 0) return inserted;
    // The whole batch travels as one JSON parameter: one statement to parse and plan however
    // large the batch, instead of ten parameters per row.
    const rows = JSON.stringify(
      newEvents.map((e) => ({
        follower_id: e.followerId,
        kind: e.kind,
        platform: e.platform,
        external_id: e.externalId,
        course_id: e.courseId,
        payload: e.payload,
        terms: e.terms,
        occurred_at: e.occurredAt.toISOString(),
      })),
    );
    const result = await queryRows<{ id: number; platform: string; external_id: string }>(
      this.db,
      sql`insert into events (follower_id, kind, platform, external_id, course_id, payload, terms, occurred_at)
          select follower_id, kind, platform, external_id, course_id, coalesce(payload, '{}'::jsonb), coalesce(terms, '{}'), occurred_at
          from jsonb_to_recordset(${rows}::jsonb) as x(follower_id uuid, kind text, platform text, external_id text,
                                                    course_id uuid, payload jsonb, terms text[], occurred_at timestamptz)
          on conflict (platform, external_id) do nothing
          returning id, platform, external_id`,
    );
    for (const row of result) inserted.set(`${row.platform}:${row.external_id}`, Number(row.id));
    return inserted;
  }

  async personaStats(followerId: string, timeZone: string, now: Date, halfLifeDays: number): Promise<PersonaStats> {
    // One scan of the follower's events grouped by kind, course and UTC hour; decay, local hours
    // and windows are computed here from the hourly buckets, which keeps the database work a
    // single index range scan even for followers with tens of thousands of events.
    const [buckets, terms, spent] = await Promise.all([
      queryRows<{ kind: EventKind; course_id: string | null; hour: string; n: number; last: string }>(
        this.db,
        sql`select kind, course_id, date_trunc('hour', occurred_at)::text as hour, count(*)::int as n, max(occurred_at)::text as last
            from events where follower_id = ${followerId} group by 1, 2, 3`,
      ),
      queryRows<{ term: string; day: string; n: number }>(
        this.db,
        sql`select t.term, date_trunc('day', occurred_at)::text as day, count(*)::int as n
            from events, unnest(terms) as t(term)
            where follower_id = ${followerId} and kind = 'message' group by 1, 2`,
      ),
      queryRows<{ currency: Currency; amount: number }>(
        this.db,
        sql`select currency, sum(amount_minor)::int as amount from orders
            where follower_id = ${followerId} and status = 'paid' group by currency`,
      ),
    ]);
    const nowMs = now.getTime();
    const lambda = Math.LN2 / (halfLifeDays * DAY_MS);
    const decay = (atMs: number) => Math.exp(-lambda * Math.max(0, nowMs - atMs));
    const localHour = localHourIn(timeZone);

    let first = Infinity;
    let lastExact = -Infinity;
    let eventCount = 0;
    let interactionsLast14d = 0;
    let eventsLast30d = 0;
    const hourHistogram = new Array<number>(24).fill(0);
    const byKey = new Map<string, { kind: EventKind; courseId: string | null; count: number; decayed: number }>();
    for (const b of buckets) {
      const atMs = Date.parse(b.hour);
      first = Math.min(first, atMs);
      lastExact = Math.max(lastExact, Date.parse(b.last));
      eventCount += b.n;
      const ageMs = nowMs - atMs;
      if (ageMs < 30 * DAY_MS) eventsLast30d += b.n;
      if (ageMs < 14 * DAY_MS && b.kind !== 'follow' && b.kind !== 'unfollow') interactionsLast14d += b.n;
      hourHistogram[localHour(atMs)]! += b.n;
      if (b.kind === 'message') continue;
      const key = `${b.kind}|${b.course_id ?? ''}`;
      const entry = byKey.get(key) ?? { kind: b.kind, courseId: b.course_id, count: 0, decayed: 0 };
      entry.count += b.n;
      entry.decayed += b.n * decay(atMs);
      byKey.set(key, entry);
    }
    const termWeights = new Map<string, number>();
    for (const t of terms) termWeights.set(t.term, (termWeights.get(t.term) ?? 0) + t.n * decay(Date.parse(t.day)));

    const courseIds = [...new Set([...byKey.values()].flatMap((r) => (r.courseId ? [r.courseId] : [])))];
    const courseRows = courseIds.length
      ? await this.db
          .select({ id: courses.id, tags: courses.tags, priceMinor: courses.priceMinor, currency: courses.currency })
          .from(courses)
          .where(inArray(courses.id, courseIds))
      : [];
    return {
      firstSeenAt: eventCount ? new Date(first) : null,
      lastSeenAt: eventCount ? new Date(lastExact) : null,
      eventCount,
      interactionsLast14d,
      eventsLast30d,
      byKindAndCourse: [...byKey.values()],
      courses: courseRows.map((c) => ({ ...c, currency: c.currency as Currency })),
      messageTerms: [...termWeights].map(([term, decayed]) => ({ term, decayed })),
      hourHistogram,
      spent: spent.map((r) => ({ currency: r.currency, amountMinor: r.amount })),
    };
  }
}
