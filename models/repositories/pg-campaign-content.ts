import { sql } from 'drizzle-orm';
import type { CampaignContentRepository, MessageVariant } from '../../core/campaigns/index.js';
import type { VariantStats } from '../../core/experiments/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray } from './pg-sql.js';

/** Message variants and per-variant conversion counts of broadcasts and retargeting rules. */
export class PgCampaignContent implements CampaignContentRepository {
  constructor(private readonly db: Db) {}

  async definitions(source: 'broadcast' | 'retargeting', ids: readonly string[]) {
    const table = source === 'broadcast' ? sql`campaigns` : sql`retargeting_rules`;
    const rows = await queryRows<{ id: string; variants: MessageVariant[]; allocation: 'ab' | 'bandit' }>(
      this.db,
      sql`SELECT id, variants, allocation FROM ${table} WHERE id = ANY(${pgArray([...ids])}::uuid[])`,
    );
    return new Map(rows.map((r) => [r.id, { variants: r.variants, allocation: r.allocation }]));
  }

  /**
   * Sent messages per variant, and how many converted: a click or purchase by the follower within
   * the attribution window after the send (a rule whose goal is `purchase` counts purchases only).
   */
  async variantStats(source: 'broadcast' | 'retargeting', campaignId: string): Promise<VariantStats[]> {
    const settings =
      source === 'broadcast'
        ? sql`(SELECT attribution_hours AS hours, ARRAY['click', 'purchase'] AS kinds FROM campaigns WHERE id = ${campaignId}::uuid)`
        : sql`(SELECT attribution_hours AS hours, CASE WHEN conversion_goal = 'purchase' THEN ARRAY['purchase'] ELSE ARRAY['click', 'purchase'] END AS kinds
               FROM retargeting_rules WHERE id = ${campaignId}::uuid)`;
    return queryRows<VariantStats>(
      this.db,
      sql`WITH s AS ${settings}
          SELECT o.variant, count(*)::int AS sent,
                 count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM events e WHERE e.follower_id = o.follower_id AND e.kind = ANY(s.kinds)
                     AND e.occurred_at >= o.sent_at AND e.occurred_at < o.sent_at + make_interval(hours => s.hours)))::int AS conversions
          FROM outbox o CROSS JOIN s
          WHERE o.campaign_id = ${campaignId}::uuid AND o.status = 'sent' AND o.variant IS NOT NULL
          GROUP BY o.variant ORDER BY o.variant`,
    );
  }
}
