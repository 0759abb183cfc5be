import { sql } from 'drizzle-orm';
import type { FollowerScoreStore, ScoredFollower } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray, tsParam } from './pg-sql.js';

const CHUNK = 5_000;

/**
 * The `follower_scores` table: one row per follower from the last scoring run, read by segment SQL
 * (pg-campaign-audience.ts) and the persona (pg-event-repository.ts).
 *
 * @example
 * await new PgFollowerScores(db).replaceAll(scored, { modelVersion: 3, horizonDays: 14, scoredAt: now });
 */
export class PgFollowerScores implements FollowerScoreStore {
  constructor(private readonly db: Db) {}

  async replaceAll(scores: readonly ScoredFollower[], run: { modelVersion: number; horizonDays: number; scoredAt: Date }): Promise<number> {
    // Upserts in chunks, then drops what this run did not score (an older run's, or a follower
    // whose events were erased), so readers never see an empty table between two runs.
    for (let start = 0; start < scores.length; start += CHUNK) {
      const chunk = scores.slice(start, start + CHUNK);
      const column = (pick: (s: ScoredFollower) => number | string) => pgArray(chunk.map((s) => String(pick(s))));
      await this.db.execute(sql`
        INSERT INTO follower_scores (follower_id, purchase_propensity, purchase_top_percent, churn_risk, churn_band, horizon_days, model_version, scored_at)
        SELECT s.follower_id, s.purchase_propensity, s.purchase_top_percent, s.churn_risk, s.churn_band, ${run.horizonDays}, ${run.modelVersion}, ${tsParam(run.scoredAt)}
        FROM unnest(${column((s) => s.followerId)}::uuid[], ${column((s) => s.purchasePropensity)}::float8[], ${column((s) => s.purchaseTopPercent)}::int2[],
                    ${column((s) => s.churnRisk)}::float8[], ${column((s) => s.churnBand)}::text[])
             AS s(follower_id, purchase_propensity, purchase_top_percent, churn_risk, churn_band)
        WHERE EXISTS (SELECT 1 FROM followers f WHERE f.id = s.follower_id)
        ON CONFLICT (follower_id) DO UPDATE SET purchase_propensity = excluded.purchase_propensity, purchase_top_percent = excluded.purchase_top_percent,
          churn_risk = excluded.churn_risk, churn_band = excluded.churn_band, horizon_days = excluded.horizon_days,
          model_version = excluded.model_version, scored_at = excluded.scored_at`);
    }
    await this.db.execute(sql`DELETE FROM follower_scores WHERE model_version <> ${run.modelVersion} OR scored_at <> ${tsParam(run.scoredAt)}`);
    const [row] = await queryRows<{ n: number }>(this.db, sql`SELECT count(*)::int AS n FROM follower_scores`);
    return row?.n ?? 0;
  }
}
