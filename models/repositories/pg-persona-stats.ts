import { sql, type SQL } from 'drizzle-orm';
import { LIFECYCLE_THRESHOLDS, NON_INTERACTION_KINDS, type ChurnRiskLevel, type Currency, type EventKind, type PersonaStats } from '../../core/index.js';
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

/** The columns {@link personaStatsQuery} selects. */
export interface PersonaStatsRow {
  buckets: Bucket[];
  terms: TermDay[];
  spent: Spent[];
  courses: CourseFacts[];
  finished_courses: number;
  scores: ScoreRow | null;
}

/**
 * The persona inputs of one follower as SQL to put into a bigger statement: a CTE (`b`, the
 * follower's events grouped by kind, course and UTC hour — a single index range scan even for tens
 * of thousands of events) and the select-list columns of {@link PersonaStatsRow}: those buckets,
 * message terms by day, money spent, learning, scores and the courses the events name. Every read
 * is conditioned on `isReadable` (e.g. the follower's personalisation consent), so nothing personal
 * is read when it is false.
 *
 * @example
 * const persona = personaStatsQuery(followerId, sql`true`);
 * const [row] = await queryRows<PersonaStatsRow>(db, sql`with ${persona.ctes} select ${persona.columns}`);
 */
export function personaStatsQuery(followerId: string, isReadable: SQL): { ctes: SQL; columns: SQL } {
  return {
    ctes: sql`b as materialized (
            select kind, course_id, date_trunc('hour', occurred_at)::text as hour, count(*)::int as n, max(occurred_at)::text as last
            from events where follower_id = ${followerId} and ${isReadable} group by 1, 2, 3)`,
    columns: sql`(select coalesce(json_agg(b), '[]') from b) as buckets,
            (select count(*)::int from (${finishedCoursesSql(sql`and ev.follower_id = ${followerId} and ${isReadable}`)}) done) as finished_courses,
            (select row_to_json(fs) from follower_scores fs where fs.follower_id = ${followerId} and ${isReadable}) as scores,
            (select coalesce(json_agg(t), '[]') from (
               select t.term, date_trunc('day', occurred_at)::text as day, count(*)::int as n
               from events, unnest(terms) as t(term)
               where follower_id = ${followerId} and kind = 'message' and ${isReadable} group by 1, 2) t) as terms,
            (select coalesce(json_agg(s), '[]') from (
               select currency, sum(amount_minor)::int as amount from orders
               where follower_id = ${followerId} and status = 'paid' and ${isReadable} group by currency) s) as spent,
            (select coalesce(json_agg(c), '[]') from (
               select id, tags, price_minor as "priceMinor", currency from courses
               where id in (select course_id from b where course_id is not null and kind <> 'message')) c) as courses`,
  };
}

/**
 * Turns the row of {@link personaStatsQuery} into PersonaStats: decay, local hours and windows are
 * computed here from the hourly buckets.
 *
 * @example
 * const stats = toPersonaStats(row, 'Asia/Shanghai', now, 30);
 */
export function toPersonaStats(row: PersonaStatsRow, timeZone: string, now: Date, halfLifeDays: number): PersonaStats {
  const { buckets, terms, spent, courses: courseRows, finished_courses: finishedCourses, scores } = row;
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
