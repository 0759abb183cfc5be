import { sql, type SQL } from 'drizzle-orm';
import { LIFECYCLE_THRESHOLDS, NON_INTERACTION_KINDS, type CheckedAppend, type ChurnRiskLevel, type Currency, type EventKind, type EventRepository, type NewEvent, type PersonaStats } from '../../core/index.js';
import { queryPrepared, queryRows, type Db } from '../database.js';
import { toFollower, type RawFollower } from './pg-follower-repository.js';
import { finishedCoursesSql } from './pg-learning-repository.js';

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

/**
 * Events as a record set from one JSON parameter: one statement to parse and plan however large
 * the batch, instead of ten parameters per row.
 */
function eventRows(newEvents: readonly NewEvent[]): SQL {
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
  return sql`jsonb_to_recordset(${rows}::jsonb) as x(follower_id uuid, kind text, platform text, external_id text,
    course_id uuid, payload jsonb, terms text[], occurred_at timestamptz)`;
}

const isNonInteraction = (kind: EventKind) => (NON_INTERACTION_KINDS as readonly string[]).includes(kind);

/** Learning activity: a lesson opened or completed, a check-in. */
const LEARNING_KINDS: ReadonlySet<EventKind> = new Set(['lesson_open', 'lesson_complete', 'check_in']);
type Bucket = { kind: EventKind; course_id: string | null; hour: string; n: number; last: string };
type TermDay = { term: string; day: string; n: number };
type Spent = { currency: Currency; amount: number };
type CourseFacts = PersonaStats['courses'][number];

/** A follower_scores row as row_to_json gives it. */
type ScoreRow = {
  purchase_propensity: number; purchase_top_percent: number; churn_risk: number; churn_band: ChurnRiskLevel; horizon_days: number; model_version: number; scored_at: string;
};

export class PgEventRepository implements EventRepository {
  constructor(private readonly db: Db) {}

  async append(newEvents: readonly NewEvent[]): Promise<Map<string, number>> {
    const inserted = new Map<string, number>();
    if (newEvents.length === 0) return inserted;
    const result = await queryRows<{ id: number; platform: string; external_id: string }>(
      this.db,
      sql`insert into events (follower_id, kind, platform, external_id, course_id, payload, terms, occurred_at)
          select follower_id, kind, platform, external_id, course_id, coalesce(payload, '{}'::jsonb), coalesce(terms, '{}'), occurred_at
          from ${eventRows(newEvents)}
          on conflict (platform, external_id) do nothing
          returning id, platform, external_id`,
    );
    for (const row of result) inserted.set(`${row.platform}:${row.external_id}`, Number(row.id));
    return inserted;
  }

  async appendChecked(newEvents: readonly NewEvent[]): Promise<CheckedAppend> {
    if (newEvents.length === 0) return { inserted: new Map(), touched: [], missingFollowerIds: new Set(), missingCourseIds: new Set() };
    // Data-modifying CTEs run exactly once, in one snapshot: the checks, the insert and the
    // last-seen update succeed or fail together.
    const [row] = await queryPrepared<{ inserted: Array<[number, string]>; missing_followers: string[]; missing_courses: string[]; touched: RawFollower[] }>(
      this.db,
      'events_append_checked',
      sql`with x as materialized (select * from ${eventRows(newEvents)}),
          missing_followers as (select distinct x.follower_id as id from x where not exists (select 1 from followers f where f.id = x.follower_id)),
          missing_courses as (select distinct x.course_id as id from x where x.course_id is not null and not exists (select 1 from courses c where c.id = x.course_id)),
          ins as (
            insert into events (follower_id, kind, platform, external_id, course_id, payload, terms, occurred_at)
            select follower_id, kind, platform, external_id, course_id, coalesce(payload, '{}'::jsonb), coalesce(terms, '{}'), occurred_at
            from x
            where not exists (select 1 from missing_followers) and not exists (select 1 from missing_courses)
            on conflict (platform, external_id) do nothing
            returning id, platform, external_id, follower_id, occurred_at),
          touched as (
            update followers f set last_seen_at = greatest(f.last_seen_at, v.at)
            from (select follower_id, max(occurred_at) as at from ins group by follower_id) v
            where f.id = v.follower_id
            returning f.*)
          select
            (select coalesce(json_agg(json_build_array(id, platform || ':' || external_id)), '[]') from ins) as inserted,
            (select coalesce(json_agg(id), '[]') from missing_followers) as missing_followers,
            (select coalesce(json_agg(id), '[]') from missing_courses) as missing_courses,
            (select coalesce(json_agg(touched), '[]') from touched) as touched`,
    );
    return {
      inserted: new Map(row!.inserted.map(([id, key]) => [key, Number(id)])),
      touched: row!.touched.map(toFollower),
      missingFollowerIds: new Set(row!.missing_followers),
      missingCourseIds: new Set(row!.missing_courses),
    };
  }

  async personaStats(followerId: string, timeZone: string, now: Date, halfLifeDays: number): Promise<PersonaStats> {
    // One statement, one round trip: the follower's events grouped by kind, course and UTC hour
    // (a single index range scan even for tens of thousands of events), message terms by day,
    // money spent, and the courses those events name. Decay, local hours and windows are computed
    // here from the hourly buckets.
    const [row] = await queryPrepared<{ buckets: Bucket[]; terms: TermDay[]; spent: Spent[]; courses: CourseFacts[]; finished_courses: number; scores: ScoreRow | null }>(
      this.db,
      'events_persona_stats',
      sql`with b as materialized (
            select kind, course_id, date_trunc('hour', occurred_at)::text as hour, count(*)::int as n, max(occurred_at)::text as last
            from events where follower_id = ${followerId} group by 1, 2, 3)
          select
            (select coalesce(json_agg(b), '[]') from b) as buckets,
            (select count(*)::int from (${finishedCoursesSql(sql`and ev.follower_id = ${followerId}`)}) done) as finished_courses,
            (select row_to_json(fs) from follower_scores fs where fs.follower_id = ${followerId}) as scores,
            (select coalesce(json_agg(t), '[]') from (
               select t.term, date_trunc('day', occurred_at)::text as day, count(*)::int as n
               from events, unnest(terms) as t(term)
               where follower_id = ${followerId} and kind = 'message' group by 1, 2) t) as terms,
            (select coalesce(json_agg(s), '[]') from (
               select currency, sum(amount_minor)::int as amount from orders
               where follower_id = ${followerId} and status = 'paid' group by currency) s) as spent,
            (select coalesce(json_agg(c), '[]') from (
               select id, tags, price_minor as "priceMinor", currency from courses
               where id in (select course_id from b where course_id is not null and kind <> 'message')) c) as courses`,
    );
    const { buckets, terms, spent, courses: courseRows, finished_courses: finishedCourses, scores } = row!;
    const nowMs = now.getTime();
    const lambda = Math.LN2 / (halfLifeDays * DAY_MS);
    const decay = (atMs: number) => Math.exp(-lambda * Math.max(0, nowMs - atMs));
    const localHour = localHourIn(timeZone);

    let first = Infinity;
    let lastExact = -Infinity;
    let eventCount = 0;
    let recentInteractions = 0;
    let eventsLast30d = 0;
    let lastLessonMs = -Infinity;
    const hourHistogram = new Array<number>(24).fill(0);
    const byKey = new Map<string, { kind: EventKind; courseId: string | null; count: number; decayed: number }>();
    for (const b of buckets) {
      const atMs = Date.parse(b.hour);
      first = Math.min(first, atMs);
      lastExact = Math.max(lastExact, Date.parse(b.last));
      eventCount += b.n;
      const ageMs = nowMs - atMs;
      if (ageMs < 30 * DAY_MS) eventsLast30d += b.n;
      if (ageMs < LIFECYCLE_THRESHOLDS.recentDays * DAY_MS && !isNonInteraction(b.kind)) recentInteractions += b.n;
      hourHistogram[localHour(atMs)]! += b.n;
      if (LEARNING_KINDS.has(b.kind)) lastLessonMs = Math.max(lastLessonMs, Date.parse(b.last));
      if (b.kind === 'message') continue;
      const key = `${b.kind}|${b.course_id ?? ''}`;
      const entry = byKey.get(key) ?? { kind: b.kind, courseId: b.course_id, count: 0, decayed: 0 };
      entry.count += b.n;
      entry.decayed += b.n * decay(atMs);
      byKey.set(key, entry);
    }
    const termWeights = new Map<string, number>();
    for (const t of terms) termWeights.set(t.term, (termWeights.get(t.term) ?? 0) + t.n * decay(Date.parse(t.day)));

    return {
      firstSeenAt: eventCount ? new Date(first) : null,
      lastSeenAt: eventCount ? new Date(lastExact) : null,
      eventCount,
      recentInteractions,
      eventsLast30d,
      byKindAndCourse: [...byKey.values()],
      courses: courseRows,
      messageTerms: [...termWeights].map(([term, decayed]) => ({ term, decayed })),
      hourHistogram,
      spent: spent.map((r) => ({ currency: r.currency, amountMinor: r.amount })),
      learning: { finishedCourses, lastLessonAt: Number.isFinite(lastLessonMs) ? new Date(lastLessonMs) : null },
      scores: scores && {
        purchasePropensity: scores.purchase_propensity, purchaseTopPercent: scores.purchase_top_percent, churnRisk: scores.churn_risk, churnBand: scores.churn_band,
        horizonDays: scores.horizon_days, modelVersion: scores.model_version, scoredAt: new Date(scores.scored_at),
      },
    };
  }
}
