import { sql } from 'drizzle-orm';
import type { Campaign, CampaignProgress, CampaignRepository, CampaignStatus, MessageVariant, NewCampaign, Segment } from '../../core/campaigns/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray, toDate, toDateOrNull, tsParam } from './pg-sql.js';

interface CampaignRow {
  id: string;
  name: string;
  status: CampaignStatus;
  segment: Segment;
  variants: MessageVariant[];
  allocation: 'ab' | 'bandit';
  send_mode: 'now' | 'at' | 'follower_local' | 'best_time';
  send_at: unknown;
  local_date: string | null;
  local_time: string | null;
  attribution_hours: number;
  priority: number;
  holdout_percent: number;
  audience_size: number | null;
  created_by: string;
  created_at: unknown;
  enqueued_at: unknown;
  completed_at: unknown;
}

function toCampaign(r: CampaignRow): Campaign {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    segment: r.segment,
    variants: r.variants,
    allocation: r.allocation,
    sendMode: r.send_mode,
    sendAt: toDateOrNull(r.send_at),
    localDate: r.local_date,
    localTime: r.local_time,
    attributionHours: r.attribution_hours,
    priority: r.priority,
    holdoutPercent: r.holdout_percent,
    audienceSize: r.audience_size,
    createdBy: r.created_by,
    createdAt: toDate(r.created_at),
    enqueuedAt: toDateOrNull(r.enqueued_at),
    completedAt: toDateOrNull(r.completed_at),
  };
}

/** Broadcast campaigns. */
export class PgCampaignRepository implements CampaignRepository {
  constructor(private readonly db: Db) {}

  async create(c: NewCampaign): Promise<Campaign> {
    const [row] = await queryRows<CampaignRow>(
      this.db,
      sql`INSERT INTO campaigns (name, segment, variants, allocation, send_mode, send_at, local_date, local_time, attribution_hours, priority, holdout_percent, created_by)
          VALUES (${c.name}, ${JSON.stringify(c.segment)}::jsonb, ${JSON.stringify(c.variants)}::jsonb, ${c.allocation}, ${c.sendMode},
                  ${c.sendAt ? c.sendAt.toISOString() : null}::timestamptz, ${c.localDate}, ${c.localTime}, ${c.attributionHours}, ${c.priority}, ${c.holdoutPercent}, ${c.createdBy})
          RETURNING *`,
    );
    return toCampaign(row!);
  }

  /** The newest broadcasts first, for the console's list; only those `createdBy` created when given. */
  async listRecent(limit: number, createdBy?: string): Promise<Campaign[]> {
    const owned = createdBy === undefined ? sql`` : sql`WHERE created_by = ${createdBy}`;
    return (await queryRows<CampaignRow>(this.db, sql`SELECT * FROM campaigns ${owned} ORDER BY created_at DESC, id LIMIT ${limit}`)).map(toCampaign);
  }

  async findById(id: string): Promise<Campaign | null> {
    const [row] = await queryRows<CampaignRow>(this.db, sql`SELECT * FROM campaigns WHERE id = ${id}::uuid`);
    return row ? toCampaign(row) : null;
  }

  async transition(id: string, from: readonly CampaignStatus[], to: CampaignStatus): Promise<Campaign | null> {
    const [row] = await queryRows<CampaignRow>(
      this.db,
      sql`UPDATE campaigns SET status = ${to}, updated_at = now() WHERE id = ${id}::uuid AND status = ANY(${pgArray(from)}::text[]) RETURNING *`,
    );
    return row ? toCampaign(row) : null;
  }

  async markEnqueued(id: string, audienceSize: number, at: Date): Promise<void> {
    await this.db.execute(sql`UPDATE campaigns SET audience_size = ${audienceSize}, enqueued_at = ${tsParam(at)}, updated_at = now() WHERE id = ${id}::uuid`);
  }

  async listUnenqueued(limit: number): Promise<Campaign[]> {
    const rows = await queryRows<CampaignRow>(
      this.db,
      sql`SELECT * FROM campaigns WHERE enqueued_at IS NULL AND status IN ('scheduled', 'sending') ORDER BY created_at LIMIT ${limit}`,
    );
    return rows.map(toCampaign);
  }

  async completeFinished(at: Date): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`UPDATE campaigns c SET status = 'completed', completed_at = ${tsParam(at)}, updated_at = now()
          WHERE c.status = 'sending' AND c.enqueued_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.campaign_id = c.id AND o.status IN ('queued', 'sending'))
          RETURNING c.id`,
    );
    return rows.map((r) => r.id);
  }

  async cancelQueued(id: string, at: Date): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      this.db,
      sql`WITH c AS (UPDATE outbox SET status = 'cancelled', updated_at = ${tsParam(at)} WHERE campaign_id = ${id}::uuid AND status = 'queued' RETURNING 1)
          SELECT count(*)::int AS n FROM c`,
    );
    return row?.n ?? 0;
  }

  async progress(id: string): Promise<CampaignProgress> {
    const rows = await queryRows<{ status: string; skip_reason: string | null; held_reason: string | null; n: number; delivered: number }>(
      this.db,
      sql`SELECT status, skip_reason, held_reason, count(*)::int AS n, count(*) FILTER (WHERE cardinality(provider_message_ids) > 0)::int AS delivered
          FROM outbox WHERE campaign_id = ${id}::uuid GROUP BY 1, 2, 3`,
    );
    const p: CampaignProgress = {
      total: 0, queued: 0, sending: 0, sent: 0, delivered: 0, failed: 0, blocked: 0, cancelled: 0,
      skipped: { total: 0, opted_out: 0, no_consent: 0, capped: 0, unreachable: 0, in_handoff: 0, risk_review: 0, outranked: 0, no_offer: 0, no_signal: 0 },
      held: { quiet_hours: 0, rate_limited: 0, retry: 0 },
    };
    for (const r of rows) {
      p.total += r.n;
      if (r.status === 'skipped') {
        p.skipped.total += r.n;
        if (r.skip_reason && r.skip_reason in p.skipped) p.skipped[r.skip_reason as keyof CampaignProgress['skipped']] += r.n;
        continue;
      }
      if (r.status === 'queued' && r.held_reason && r.held_reason in p.held) p.held[r.held_reason as keyof CampaignProgress['held']] += r.n;
      if (r.status === 'sent') p.delivered += r.delivered;
      if (r.status in p) (p as unknown as Record<string, number>)[r.status]! += r.n;
    }
    // `blocked` is a failure to deliver too: the follower blocked the bot.
    return p;
  }
}
