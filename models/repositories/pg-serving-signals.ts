import { sql } from 'drizzle-orm';
import type { ServingSignals, ServingSignalsReader } from '../../core/index.js';
import { queryPrepared, type Db } from '../database.js';
import { toFollower, type RawFollower } from './pg-follower-repository.js';
import { COURSE_EVENT_KINDS, toInteraction, type InteractionRow } from './pg-interaction-repository.js';
import { personaStatsQuery, toPersonaStats, type PersonaStatsRow } from './pg-persona-stats.js';

type SignalsRow = PersonaStatsRow & { follower: RawFollower | null; owned: string[]; history: InteractionRow[] };

/**
 * What the recommender reads per request, as one SQL statement: the follower row, owned courses,
 * the latest course events and the persona's inputs (see personaStatsQuery). History and persona
 * inputs are read only when the follower has given personalisation consent — the condition is in
 * the statement, so nothing personal leaves the database otherwise.
 *
 * @example
 * const signals = await new PgServingSignals(db).servingSignals(followerId, { historyLimit: 200, now: clock.now(), halfLifeDays: 30 });
 */
export class PgServingSignals implements ServingSignalsReader {
  constructor(private readonly db: Db) {}

  async servingSignals(followerId: string, options: { historyLimit: number; now: Date; halfLifeDays: number }): Promise<ServingSignals> {
    const isPersonal = sql`coalesce((select has_personalization_consent from f), false)`;
    const persona = personaStatsQuery(followerId, isPersonal);
    // Read on every recommendation request: prepared once per connection.
    const [row] = await queryPrepared<SignalsRow>(
      this.db,
      'serving_signals',
      sql`with f as materialized (select * from followers where id = ${followerId}),
          ${persona.ctes},
          h as (
            select id, follower_id, course_id, kind, occurred_at from events
            where follower_id = ${followerId} and course_id is not null and kind in ${COURSE_EVENT_KINDS} and ${isPersonal}
            order by occurred_at desc, id desc limit ${options.historyLimit})
          select
            (select row_to_json(f) from f) as follower,
            (select coalesce(json_agg(course_id), '[]') from entitlements where follower_id = ${followerId} and revoked_at is null) as owned,
            (select coalesce(json_agg(h order by h.occurred_at desc, h.id desc), '[]') from h) as history,
            ${persona.columns}`,
    );
    const follower = row!.follower ? toFollower(row!.follower) : null;
    const isReadable = follower?.hasPersonalizationConsent === true;
    return {
      follower,
      owned: new Set(row!.owned),
      history: row!.history.map(toInteraction),
      personaStats: follower && isReadable ? toPersonaStats(row!, follower.timeZone, options.now, options.halfLifeDays) : null,
    };
  }
}
