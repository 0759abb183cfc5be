import { sql, type SQL } from 'drizzle-orm';
import type { ArmOutcome, CampaignContentRepository, MessageVariant, PickKind, PickStats } from '../../core/campaigns/index.js';
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

  async variantStats(source: 'broadcast' | 'retargeting', campaignId: string): Promise<VariantStats[]> {
    return queryRows<VariantStats>(this.db, this.attributed(source, campaignId, sql`o.variant`, sql`o.variant`));
  }

  async pickStats(source: 'broadcast' | 'retargeting', campaignId: string): Promise<PickStats[]> {
    const rows = await queryRows<{ variant: string; course_id: string | null; pick: PickKind | null; sent: number; conversions: number }>(
      this.db,
      this.attributed(source, campaignId, sql`o.variant, o.shown_course_id AS course_id, o.pick`, sql`o.variant, o.shown_course_id, o.pick`),
    );
    return rows.map((r) => ({ variant: r.variant, courseId: r.course_id, pick: r.pick, sent: r.sent, conversions: r.conversions }));
  }

  async arms(source: 'broadcast' | 'retargeting', campaignId: string): Promise<{ sent: ArmOutcome; heldOut: ArmOutcome }> {
    // A broadcast's members are its outbox rows and campaign_holdouts; a rule's, its outbox rows and
    // retargeting_holdouts (a follower may have several occasions: each opens its own window).
    const window = source === 'broadcast'
      ? sql`SELECT make_interval(hours => attribution_hours) AS span FROM campaigns WHERE id = ${campaignId}::uuid`
      : sql`SELECT make_interval(hours => attribution_hours) AS span FROM retargeting_rules WHERE id = ${campaignId}::uuid`;
    const heldOut = source === 'broadcast'
      ? sql`SELECT h.follower_id, 'held_out', h.held_at FROM campaign_holdouts h WHERE h.campaign_id = ${campaignId}::uuid`
      : sql`SELECT h.follower_id, 'held_out', h.held_at FROM retargeting_holdouts h WHERE h.rule_id = ${campaignId}::uuid`;
    const rows = await queryRows<{ arm: 'sent' | 'held_out'; currency: string | null; members: number; buyers: number; amount: string | number | null; squares: string | number | null }>(
      this.db,
      sql`WITH w AS (${window}),
          members AS (
            SELECT o.follower_id, 'sent' AS arm, coalesce(o.sent_at, o.not_before) AS since FROM outbox o WHERE o.source = ${source} AND o.campaign_id = ${campaignId}::uuid
            UNION ALL
            ${heldOut}),
          paid AS (
            SELECT DISTINCT m.arm, m.follower_id, o.id AS order_id, o.currency, o.amount_minor::float8 AS amount
            FROM members m CROSS JOIN w
            JOIN orders o ON o.follower_id = m.follower_id AND o.status = 'paid' AND o.paid_at >= m.since AND o.paid_at < m.since + w.span),
          per_follower AS (SELECT arm, follower_id, currency, sum(amount) AS amount FROM paid GROUP BY arm, follower_id, currency)
          SELECT arm, NULL AS currency, count(DISTINCT follower_id)::int AS members,
                 (SELECT count(DISTINCT p.follower_id)::int FROM paid p WHERE p.arm = members.arm) AS buyers, NULL AS amount, NULL AS squares
          FROM members GROUP BY arm
          UNION ALL
          SELECT arm, currency, 0, 0, sum(amount), sum(amount * amount) FROM per_follower GROUP BY arm, currency`,
    );
    const arm = (name: 'sent' | 'held_out'): ArmOutcome => {
      const head = rows.find((r) => r.arm === name && r.currency === null);
      return {
        members: head?.members ?? 0,
        buyers: head?.buyers ?? 0,
        revenue: rows.filter((r) => r.arm === name && r.currency !== null).map((r) => ({ currency: r.currency!, amountMinor: Number(r.amount), sumOfSquares: Number(r.squares) })),
      };
    };
    return { sent: arm('sent'), heldOut: arm('held_out') };
  }

  /**
   * Sent messages of one campaign grouped by `groupBy`, and how many converted, last touch: a click
   * or purchase (a rule whose goal is `purchase` counts purchases only) within the campaign's
   * attribution window after the message was accepted, unless a later marketing message (of any
   * campaign) was sent before it and the event also falls in that message's window — then it is
   * that message's. `sent_at` is each message's own acceptance time (see markSentMany). Messages to
   * followers flagged or blocked by risk control are left out, sends and conversions both, so the
   * results and the bandit's draws see only followers in good standing.
   */
  private attributed(source: 'broadcast' | 'retargeting', campaignId: string, columns: SQL, groupBy: SQL): SQL {
    const settings =
      source === 'broadcast'
        ? sql`(SELECT attribution_hours AS hours, ARRAY['click', 'purchase'] AS kinds FROM campaigns WHERE id = ${campaignId}::uuid)`
        : sql`(SELECT attribution_hours AS hours, CASE WHEN conversion_goal = 'purchase' THEN ARRAY['purchase'] ELSE ARRAY['click', 'purchase'] END AS kinds
               FROM retargeting_rules WHERE id = ${campaignId}::uuid)`;
    const windowOfLater = sql`make_interval(hours => coalesce((SELECT c.attribution_hours FROM campaigns c WHERE c.id = later.campaign_id),
                                                       (SELECT r.attribution_hours FROM retargeting_rules r WHERE r.id = later.campaign_id), 72))`;
    return sql`WITH s AS ${settings}
          SELECT ${columns}, count(*)::int AS sent,
                 count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM events e WHERE e.follower_id = o.follower_id AND e.kind = ANY(s.kinds)
                     AND e.occurred_at >= o.sent_at AND e.occurred_at < o.sent_at + make_interval(hours => s.hours)
                     AND NOT EXISTS (
                       SELECT 1 FROM outbox later WHERE later.follower_id = o.follower_id AND later.status = 'sent'
                         AND (later.sent_at, later.id) > (o.sent_at, o.id) AND later.sent_at <= e.occurred_at
                         AND e.occurred_at < later.sent_at + ${windowOfLater})))::int AS conversions
          FROM outbox o CROSS JOIN s
          WHERE o.campaign_id = ${campaignId}::uuid AND o.status = 'sent' AND o.variant IS NOT NULL
            -- Followers under risk review count for nothing: fraud must not pick the winner.
            AND NOT EXISTS (SELECT 1 FROM follower_risk fr WHERE fr.follower_id = o.follower_id AND fr.status IN ('flagged', 'blocked'))
          GROUP BY ${groupBy} ORDER BY ${groupBy}`;
  }
}
