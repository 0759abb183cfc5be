import { sql, type SQL } from 'drizzle-orm';
import type { ClaimedMessage, CrossSellReason, HoldoutEntry, OutboxEntry, OutboxRepository, OutboxSkipReason, PickKind } from '../../core/campaigns/index.js';
import type { Locale, Platform } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray, tsParam } from './pg-sql.js';

interface ClaimedRow {
  id: string | number;
  source: 'broadcast' | 'retargeting';
  campaign_id: string;
  step: string;
  variant: string | null;
  course_id: string | null;
  attempts: number;
  follower_id: string;
  locale: Locale;
  time_zone: string;
  has_marketing_consent: boolean;
  is_opted_out: boolean;
  is_reachable: boolean;
  is_in_handoff: boolean;
  is_under_risk_review: boolean;
  identity_kind: 'telegram' | 'wechat' | null;
  chat_id: string | null;
  previous_status: string;
  reason: CrossSellReason | null;
  is_outranked: boolean;
}

/** The error a send row gets when its process stopped before recording how the send went. */
export const ABANDONED_SEND = 'abandoned: the process sending it stopped before it recorded the outcome';

/**
 * Whether a leased broadcast `l` (of follower `f`) is outranked: the follower was sent a broadcast
 * of a higher priority today (their local day), or has one queued or in flight due before the day
 * ends. Counting the pending ones makes the rule hold whichever of the two is leased first.
 */
function outrankedSql(now: Date): SQL {
  const dayStart = sql`(date_trunc('day', ${tsParam(now)} AT TIME ZONE f.time_zone) AT TIME ZONE f.time_zone)`;
  return sql`(l.source = 'broadcast' AND EXISTS (
    SELECT 1 FROM outbox o2 JOIN campaigns c2 ON c2.id = o2.campaign_id
    WHERE o2.follower_id = l.follower_id AND o2.source = 'broadcast' AND o2.id <> l.id
      AND c2.priority > (SELECT c.priority FROM campaigns c WHERE c.id = l.campaign_id)
      AND ((o2.status = 'sent' AND o2.sent_at >= ${dayStart})
           OR (o2.status IN ('queued', 'sending') AND c2.status NOT IN ('paused', 'cancelled') AND o2.not_before < ${dayStart} + interval '1 day'))))`;
}

/** The transactional outbox on PostgreSQL (or PGlite). */
export class PgOutboxRepository implements OutboxRepository {
  constructor(private readonly db: Db) {}

  async enqueue(entries: readonly OutboxEntry[]): Promise<number> {
    return this.insertInChunks(
      entries,
      (chunk) => sql`INSERT INTO outbox (follower_id, source, campaign_id, step, variant, course_id, not_before, reason)
              SELECT * FROM unnest(${pgArray(chunk.map((e) => e.followerId))}::uuid[], ${pgArray(chunk.map((e) => e.source))}::text[],
                                   ${pgArray(chunk.map((e) => e.campaignId))}::uuid[], ${pgArray(chunk.map((e) => e.step))}::text[],
                                   ${pgArray(chunk.map((e) => e.variant))}::text[], ${pgArray(chunk.map((e) => e.courseId))}::uuid[],
                                   ${pgArray(chunk.map((e) => e.notBefore.toISOString()))}::timestamptz[],
                                   ${pgArray(chunk.map((e) => (e.reason ? JSON.stringify(e.reason) : null)))}::jsonb[])
              ON CONFLICT ON CONSTRAINT outbox_follower_campaign_step_key DO NOTHING`,
    );
  }

  async holdOut(entries: readonly HoldoutEntry[]): Promise<number> {
    return this.insertInChunks(
      entries,
      (chunk) => sql`INSERT INTO campaign_holdouts (campaign_id, follower_id, reason, held_at)
              SELECT * FROM unnest(${pgArray(chunk.map((e) => e.campaignId))}::uuid[], ${pgArray(chunk.map((e) => e.followerId))}::uuid[],
                                   ${pgArray(chunk.map((e) => e.reason))}::text[], ${pgArray(chunk.map((e) => e.heldAt.toISOString()))}::timestamptz[])
              ON CONFLICT (campaign_id, follower_id) DO NOTHING`,
    );
  }

  /** Runs an `INSERT … ON CONFLICT DO NOTHING` per 5,000 rows; returns how many rows were new. */
  private async insertInChunks<T>(rows: readonly T[], insert: (chunk: readonly T[]) => SQL): Promise<number> {
    let added = 0;
    for (let start = 0; start < rows.length; start += 5000) {
      const [row] = await queryRows<{ n: number }>(this.db, sql`WITH ins AS (${insert(rows.slice(start, start + 5000))} RETURNING 1) SELECT count(*)::int AS n FROM ins`);
      added += row?.n ?? 0;
    }
    return added;
  }

  async claimDue(now: Date, limit: number, leaseMs: number, platforms?: readonly Platform[]): Promise<ClaimedMessage[]> {
    // SKIP LOCKED: concurrent dispatchers take disjoint rows. A `sending` row whose lease ran out
    // belongs to a process that died mid-send; it is due again. The recipient is the follower's
    // Telegram chat, else their WeChat one (as below).
    const recipientKind = sql`(SELECT i.kind FROM identities i WHERE i.follower_id = o.follower_id AND i.kind IN ('telegram', 'wechat') ORDER BY i.kind = 'telegram' DESC LIMIT 1)`;
    const platformFilter = platforms ? sql`AND (${recipientKind} IS NULL OR ${recipientKind} = ANY(${pgArray(platforms)}::text[]))` : sql``;
    const rows = await queryRows<ClaimedRow>(
      this.db,
      sql`WITH due AS (
            SELECT o.id, o.status AS previous_status FROM outbox o
            WHERE ((o.status = 'queued' AND o.not_before <= ${tsParam(now)}) OR (o.status = 'sending' AND o.lease_until < ${tsParam(now)}))
              AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = o.campaign_id AND c.status IN ('paused', 'cancelled'))
              AND NOT EXISTS (SELECT 1 FROM retargeting_rules r WHERE r.id = o.campaign_id AND NOT r.is_enabled)
              ${platformFilter}
            ORDER BY o.not_before, o.id
            LIMIT ${limit}
            FOR UPDATE OF o SKIP LOCKED),
          -- A recovered message's send row, left 'sending' by the process that died, is closed as
          -- failed: the retry then takes the same key again (one row per message, none stuck).
          abandoned AS (
            UPDATE sends s SET status = 'failed', error = ${ABANDONED_SEND}, finished_at = ${tsParam(now)}
            FROM due WHERE due.previous_status = 'sending' AND s.idempotency_key = 'outbox:' || due.id AND s.status = 'sending'),
          leased AS (
            UPDATE outbox o SET status = 'sending', lease_until = ${tsParam(new Date(now.getTime() + leaseMs))}, attempts = o.attempts + 1, updated_at = ${tsParam(now)}
            FROM due WHERE o.id = due.id
            RETURNING o.id, o.source, o.campaign_id, o.step, o.variant, o.course_id, o.attempts, o.follower_id, o.reason, due.previous_status)
          SELECT l.*, f.locale, f.time_zone, f.has_marketing_consent, f.is_opted_out, f.is_reachable, f.in_handoff_since IS NOT NULL AS is_in_handoff,
                 EXISTS (SELECT 1 FROM follower_risk fr WHERE fr.follower_id = l.follower_id AND fr.status IN ('flagged', 'blocked')) AS is_under_risk_review, ident.kind AS identity_kind, ident.external_id AS chat_id,
                 ${outrankedSql(now)} AS is_outranked
          FROM leased l
          JOIN followers f ON f.id = l.follower_id
          LEFT JOIN LATERAL (SELECT i.kind, i.external_id FROM identities i WHERE i.follower_id = l.follower_id AND i.kind IN ('telegram', 'wechat')
                             ORDER BY i.kind = 'telegram' DESC LIMIT 1) ident ON true
          ORDER BY l.id`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      source: r.source,
      campaignId: r.campaign_id,
      step: r.step,
      variant: r.variant,
      courseId: r.course_id,
      attempts: r.attempts,
      isRecovered: r.previous_status === 'sending',
      follower: {
        id: r.follower_id,
        locale: r.locale,
        timeZone: r.time_zone,
        hasMarketingConsent: r.has_marketing_consent,
        isOptedOut: r.is_opted_out,
        isReachable: r.is_reachable,
        isInHandoff: r.is_in_handoff,
        isUnderRiskReview: r.is_under_risk_review,
      },
      recipient: r.identity_kind && r.chat_id ? { platform: r.identity_kind, chatId: r.chat_id } : null,
      reason: r.reason,
      isOutranked: r.is_outranked,
    }));
  }

  /**
   * Commits asynchronously (this statement only): a crash of this process loses nothing, and if the
   * PostgreSQL server itself crashes within a fraction of a second the row goes back to `sending`,
   * is taken again after its lease, and the messenger's idempotency key (Telegram's send log commits
   * synchronously) answers `sent` instead of sending twice.
   */
  async markSentMany(sent: ReadonlyArray<{ id: number; providerMessageIds: string[]; variant: string | null; at: Date; shownCourseId?: string | null; pick?: PickKind | null }>): Promise<void> {
    if (sent.length === 0) return;
    const rows = JSON.stringify(
      sent.map((s) => ({ id: s.id, ids: s.providerMessageIds, variant: s.variant, at: s.at.toISOString(), shown: s.shownCourseId ?? null, pick: s.pick ?? null })),
    );
    // sent_at is each message's own acceptance time (the dispatcher's `at`), not this statement's.
    await this.db.execute(
      sql`WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true)),
               v AS (SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS x(id bigint, ids text[], variant text, at timestamptz, shown uuid, pick text))
          UPDATE outbox o SET status = 'sent', sent_at = v.at, provider_message_ids = v.ids, variant = coalesce(v.variant, o.variant),
                 shown_course_id = v.shown, pick = v.pick,
                 lease_until = NULL, held_reason = NULL, last_error = NULL, updated_at = v.at
          FROM v, async_commit WHERE o.id = v.id`,
    );
  }

  async markSkipped(id: number, reason: OutboxSkipReason, at: Date): Promise<void> {
    await this.db.execute(sql`UPDATE outbox SET status = 'skipped', skip_reason = ${reason}, lease_until = NULL, held_reason = NULL, updated_at = ${tsParam(at)} WHERE id = ${id}`);
  }

  async markBlocked(id: number, reason: string, at: Date): Promise<void> {
    await this.db.execute(
      sql`WITH o AS (UPDATE outbox SET status = 'blocked', last_error = ${reason.slice(0, 500)}, lease_until = NULL, held_reason = NULL, updated_at = ${tsParam(at)}
                     WHERE id = ${id} RETURNING follower_id)
          UPDATE followers SET is_reachable = false, updated_at = ${tsParam(at)} WHERE id IN (SELECT follower_id FROM o)`,
    );
  }

  async markFailed(id: number, reason: string, at: Date): Promise<void> {
    await this.db.execute(sql`UPDATE outbox SET status = 'failed', last_error = ${reason.slice(0, 500)}, lease_until = NULL, held_reason = NULL, updated_at = ${tsParam(at)} WHERE id = ${id}`);
  }

  async hold(id: number, until: Date, reason: 'quiet_hours' | 'rate_limited' | 'retry', variant: string | null): Promise<void> {
    // A hold for quiet hours was not an attempt to send; give the attempt back.
    await this.db.execute(
      sql`UPDATE outbox SET status = 'queued', not_before = ${tsParam(until)}, held_reason = ${reason}, variant = coalesce(${variant}::text, variant),
                 attempts = CASE WHEN ${reason} = 'quiet_hours' THEN greatest(attempts - 1, 0) ELSE attempts END, lease_until = NULL, updated_at = now()
          WHERE id = ${id}`,
    );
  }
}
