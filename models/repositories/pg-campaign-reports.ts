import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.js';
import { interestWeightsSql, lifecycleStageSql } from './pg-follower-concepts.js';
import { tsParam } from './pg-sql.js';

export interface DailyReport {
  from: string;
  to: string;
  newFollowers: number;
  activeFollowers: number;
  events: Record<string, number>;
  paidOrders: number;
  revenue: Array<{ currency: string; amountMinor: number }>;
  refunds: number;
  messages: Record<string, number>;
}

/** Segment refresh and daily figures, computed in SQL from followers, events, orders and the outbox. */
export class PgCampaignReports {
  constructor(private readonly db: Db) {}

  /** Recomputes each follower's lifecycle stage and five strongest interests, by the persona's rules; returns rows written. */
  async refreshFollowerSegments(now: Date): Promise<{ refreshed: number; byLifecycle: Record<string, number> }> {
    const [row] = await queryRows<{ n: number }>(
      this.db,
      sql`WITH upserted AS (
            INSERT INTO follower_segments (follower_id, lifecycle, interest_tags, refreshed_at)
            SELECT f.id, ${lifecycleStageSql(now)},
                   coalesce((SELECT array_agg(top.tag ORDER BY top.weight DESC, top.tag) FROM (
                      SELECT i.tag, i.weight FROM (${interestWeightsSql(now, 'all')}) i ORDER BY i.weight DESC, i.tag LIMIT 5) top), '{}'),
                   ${tsParam(now)}
            FROM followers f
            ON CONFLICT (follower_id) DO UPDATE SET lifecycle = excluded.lifecycle, interest_tags = excluded.interest_tags, refreshed_at = excluded.refreshed_at
            RETURNING 1)
          SELECT count(*)::int AS n FROM upserted`,
    );
    const counts = await queryRows<{ lifecycle: string; n: number }>(this.db, sql`SELECT lifecycle, count(*)::int AS n FROM follower_segments GROUP BY lifecycle ORDER BY lifecycle`);
    return { refreshed: row?.n ?? 0, byLifecycle: Object.fromEntries(counts.map((c) => [c.lifecycle, c.n])) };
  }

  /** Figures for [from, to): new and active followers, events by kind, paid orders and revenue per currency, refunds, messages by status. */
  async dailyReport(from: Date, to: Date): Promise<DailyReport> {
    const range = (column: string) => sql`${sql.raw(column)} >= ${tsParam(from)} AND ${sql.raw(column)} < ${tsParam(to)}`;
    const [followers] = await queryRows<{ new_followers: number; active: number }>(
      this.db,
      sql`SELECT (SELECT count(*)::int FROM followers WHERE ${range('created_at')}) AS new_followers,
                 (SELECT count(DISTINCT follower_id)::int FROM events WHERE ${range('occurred_at')}) AS active`,
    );
    const events = await queryRows<{ kind: string; n: number }>(this.db, sql`SELECT kind, count(*)::int AS n FROM events WHERE ${range('occurred_at')} GROUP BY kind ORDER BY kind`);
    const revenue = await queryRows<{ currency: string; amount: string | number; n: number }>(
      this.db,
      sql`SELECT currency, sum(amount_minor) AS amount, count(*)::int AS n FROM orders WHERE status IN ('paid', 'refunded') AND ${range('paid_at')} GROUP BY currency ORDER BY currency`,
    );
    const [refunds] = await queryRows<{ n: number }>(this.db, sql`SELECT count(*)::int AS n FROM orders WHERE ${range('refunded_at')}`);
    const messages = await queryRows<{ status: string; n: number }>(
      this.db,
      sql`SELECT status, count(*)::int AS n FROM outbox WHERE ${range('updated_at')} AND status IN ('sent', 'failed', 'blocked', 'skipped') GROUP BY status ORDER BY status`,
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      newFollowers: followers?.new_followers ?? 0,
      activeFollowers: followers?.active ?? 0,
      events: Object.fromEntries(events.map((e) => [e.kind, e.n])),
      paidOrders: revenue.reduce((sum, r) => sum + r.n, 0),
      revenue: revenue.map((r) => ({ currency: r.currency, amountMinor: Number(r.amount) })),
      refunds: refunds?.n ?? 0,
      messages: Object.fromEntries(messages.map((m) => [m.status, m.n])),
    };
  }
}
