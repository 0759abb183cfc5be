import { sql, type SQL } from 'drizzle-orm';
import type { CheckedAppend, EventRepository, NewEvent, PersonaStats } from '../../core/index.js';
import { queryPrepared, queryRows, type Db } from '../database.js';
import { toFollower, type RawFollower } from './pg-follower-repository.js';
import { personaStatsQuery, toPersonaStats, type PersonaStatsRow } from './pg-persona-stats.js';

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
    // One statement, one round trip (see personaStatsQuery).
    const persona = personaStatsQuery(followerId, sql`true`);
    const [row] = await queryPrepared<PersonaStatsRow>(this.db, 'events_persona_stats', sql`with ${persona.ctes} select ${persona.columns}`);
    return toPersonaStats(row!, timeZone, now, halfLifeDays);
  }
}
