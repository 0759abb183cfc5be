import { sql, type SQL } from 'drizzle-orm';
import { erasedPseudonym, type Currency, type FollowerAdminRepository, type FollowerDataExport, type FollowerSearchQuery, type FollowerSummary, type Page, type TimelineEvent } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray } from './pg-sql.js';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

interface SummaryRow {
  id: string;
  display_name: string | null;
  locale: string;
  identities: { kind: string; externalId: string }[] | null;
  event_count: number;
  last_seen_at: Date | string | null;
  created_at: Date | string;
  is_opted_out: boolean;
  has_marketing_consent: boolean;
  paid_orders: number;
  spent: { currency: Currency; amountMinor: number }[] | null;
  total: number;
}

/** The list's sort keys, as columns of the inner select (`f`). */
const SORT_COLUMNS: Record<NonNullable<FollowerSearchQuery['sort']>, SQL> = {
  last_seen: sql`f.last_seen_at`,
  first_seen: sql`f.created_at`,
  events: sql`f.event_count`,
  orders: sql`f.paid_orders`,
  name: sql`f.display_name`,
};

const AUDIENCE_FILTERS: Record<NonNullable<FollowerSearchQuery['audience']> | 'all', SQL> = {
  all: sql``,
  consented: sql`and f.has_marketing_consent and not f.is_opted_out`,
  opted_out: sql`and f.is_opted_out`,
  buyers: sql`and exists (select 1 from orders o where o.follower_id = f.id and o.status = 'paid')`,
};

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

export class PgFollowerAdminRepository implements FollowerAdminRepository {
  constructor(private readonly db: Db) {}

  async search(query: FollowerSearchQuery): Promise<Page<FollowerSummary>> {
    const pattern = query.q ? `%${escapeLike(query.q)}%` : null;
    const platformKinds = query.platform === 'miniprogram' ? ['mp_openid', 'mp_unionid'] : query.platform ? [query.platform] : null;
    // Search matches the display name, an identity's external id, or the follower id itself.
    const where = sql`(${pattern}::text is null
             or f.display_name ilike ${pattern}
             or f.id::text = ${query.q ?? ''}
             or exists (select 1 from identities i where i.follower_id = f.id and i.external_id ilike ${pattern}))
        and (${platformKinds === null ? null : pgArray(platformKinds)}::text[] is null
             or exists (select 1 from identities i where i.follower_id = f.id and i.kind = any(${platformKinds === null ? null : pgArray(platformKinds)}::text[])))
        and (${query.locale ?? null}::text is null or f.locale = ${query.locale ?? null})
        ${AUDIENCE_FILTERS[query.audience ?? 'all']}`;
    const direction = query.order === 'asc' ? sql`asc` : sql`desc`;
    const orderBy = sql`${SORT_COLUMNS[query.sort ?? 'last_seen']} ${direction} nulls last, f.created_at desc, f.id`;
    const rows = await queryRows<SummaryRow>(
      this.db,
      sql`select * from (
            select f.id, f.display_name, f.locale, f.last_seen_at, f.created_at, f.is_opted_out, f.has_marketing_consent,
              (select coalesce(json_agg(json_build_object('kind', i.kind, 'externalId', i.external_id)), '[]'::json) from identities i where i.follower_id = f.id) as identities,
              (select count(*)::int from events e where e.follower_id = f.id) as event_count,
              (select count(*)::int from orders o where o.follower_id = f.id and o.status = 'paid') as paid_orders,
              (select json_agg(json_build_object('currency', s.currency, 'amountMinor', s.amount_minor) order by s.currency)
                 from (select o.currency, sum(o.amount_minor)::int as amount_minor from orders o where o.follower_id = f.id and o.status = 'paid' group by o.currency) s) as spent,
              count(*) over ()::int as total
            from followers f
            where ${where}
          ) f
          order by ${orderBy}
          limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        displayName: r.display_name,
        locale: r.locale,
        identities: r.identities ?? [],
        eventCount: r.event_count,
        lastSeenAt: r.last_seen_at === null ? null : toDate(r.last_seen_at),
        createdAt: toDate(r.created_at),
        isOptedOut: r.is_opted_out,
        hasMarketingConsent: r.has_marketing_consent,
        paidOrders: r.paid_orders,
        spent: r.spent ?? [],
      })),
      page: query.page,
      pageSize: query.pageSize,
      total: rows[0]?.total ?? (query.page > 1 ? await this.count(where) : 0),
    };
  }

  private async count(where: SQL): Promise<number> {
    const [row] = await queryRows<{ n: number }>(this.db, sql`select count(*)::int as n from followers f where ${where}`);
    return row?.n ?? 0;
  }

  async timeline(followerId: string, query: { before?: Date; limit: number }): Promise<TimelineEvent[]> {
    type Row = { id: string | number; kind: string; platform: string; course_id: string | null; title_zh: string | null; title_en: string | null; payload: unknown; occurred_at: Date | string };
    const rows = await queryRows<Row>(
      this.db,
      sql`select e.id, e.kind, e.platform, e.course_id, c.title_zh, c.title_en, e.payload, e.occurred_at from events e left join courses c on c.id = e.course_id
          where e.follower_id = ${followerId} and (${query.before ?? null}::timestamptz is null or e.occurred_at < ${query.before ?? null}::timestamptz)
          order by e.occurred_at desc, e.id desc limit ${query.limit}`,
    );
    return rows.map((r) => ({
      id: Number(r.id), kind: r.kind, platform: r.platform, courseId: r.course_id, courseTitleZh: r.title_zh, courseTitleEn: r.title_en, payload: r.payload, occurredAt: toDate(r.occurred_at),
    }));
  }

  async exportData(followerId: string): Promise<FollowerDataExport | null> {
    const [follower] = await queryRows<Record<string, unknown>>(this.db, sql`select * from followers where id = ${followerId}`);
    if (!follower) return null;
    const chatIds = sql`(select external_id from identities where follower_id = ${followerId})`;
    const [
      identities, events, orders, entitlements, sends, outbox, replyQueue, handoffs, dialogMemory, lessonReminders, segment, riskCase, riskDecisions, heldOrders, scores, referrals,
      recommendationExposures,
    ] = await Promise.all([
      queryRows<Record<string, unknown>>(this.db, sql`select kind, external_id, created_at from identities where follower_id = ${followerId} order by created_at`),
      queryRows<Record<string, unknown>>(this.db, sql`select id::text as id, kind, platform, external_id, course_id, payload, terms, occurred_at, recorded_at from events where follower_id = ${followerId} order by occurred_at, id`),
      queryRows<Record<string, unknown>>(this.db, sql`select * from orders where follower_id = ${followerId} order by created_at`),
      queryRows<Record<string, unknown>>(this.db, sql`select * from entitlements where follower_id = ${followerId} order by granted_at`),
      queryRows<Record<string, unknown>>(this.db, sql`select id::text as id, platform, chat_id, purpose, status, reply_count, error, created_at, finished_at from sends
        where follower_id = ${followerId} or chat_id in ${chatIds} order by created_at, id`),
      queryRows<Record<string, unknown>>(this.db, sql`select id::text as id, source, campaign_id, step, variant, course_id, status, skip_reason, held_reason, not_before, sent_at, created_at from outbox
        where follower_id = ${followerId} order by created_at, id`),
      queryRows<Record<string, unknown>>(this.db, sql`select id::text as id, platform, chat_id, purpose, replies, created_at from reply_queue
        where follower_id = ${followerId} or chat_id in ${chatIds} order by id`),
      queryRows<Record<string, unknown>>(this.db, sql`select h.id, h.platform, h.chat_id, h.reason, h.status, h.opened_at, h.first_response_at, h.closed_at,
          (select coalesce(json_agg(json_build_object('text', m.text, 'status', m.status, 'createdAt', m.created_at, 'sentAt', m.sent_at) order by m.created_at), '[]'::json)
           from handoff_messages m where m.handoff_id = h.id) as staff_replies
        from handoffs h where h.follower_id = ${followerId} order by h.opened_at`),
      queryRows<Record<string, unknown>>(this.db, sql`select last_list, focus_course_id, pending, updated_at from dialog_memory where follower_id = ${followerId}`),
      queryRows<Record<string, unknown>>(this.db, sql`select course_id, local_day, lesson_id, reason, status, claimed_at, finished_at from lesson_reminders where follower_id = ${followerId} order by claimed_at`),
      queryRows<Record<string, unknown>>(this.db, sql`select lifecycle, interest_tags, refreshed_at from follower_segments where follower_id = ${followerId}`),
      queryRows<Record<string, unknown>>(this.db, sql`select status, score, reasons, flagged_at, updated_at, reviewed_by, reviewed_at from follower_risk where follower_id = ${followerId}`),
      queryRows<Record<string, unknown>>(this.db, sql`select decision, score, reasons, actor, at from risk_decisions where follower_id = ${followerId} order by at, id`),
      queryRows<Record<string, unknown>>(this.db, sql`select order_id, held_at, outcome, decided_at from risk_order_holds where follower_id = ${followerId} order by held_at`),
      queryRows<Record<string, unknown>>(this.db, sql`select purchase_propensity, purchase_top_percent, churn_risk, churn_band, horizon_days, model_version, scored_at from follower_scores where follower_id = ${followerId}`),
      this.referralData(followerId),
      queryRows<Record<string, unknown>>(this.db, sql`select x.experiment_id, r.name as experiment_name, x.variant, x.course_ids, x.channel, x.exposed_at
        from recommender_exposures x join recommender_experiments r on r.id = x.experiment_id where x.follower_id = ${followerId} order by x.exposed_at, x.list_id`),
    ]);
    return {
      follower, identities, events, orders, entitlements, sends, outbox, replyQueue, handoffs, dialogMemory: dialogMemory[0] ?? null, lessonReminders, segment: segment[0] ?? null,
      risk: { case: riskCase[0] ?? null, decisions: riskDecisions, heldOrders },
      scores: scores[0] ?? null,
      referrals,
      recommendationExposures,
    };
  }

  private async referralData(followerId: string): Promise<FollowerDataExport['referrals']> {
    const [[code], [referredBy], [referred], distributorships, commissions] = await Promise.all([
      queryRows<{ code: string }>(this.db, sql`select code from referral_codes where follower_id = ${followerId}`),
      queryRows<Record<string, unknown>>(this.db, sql`select referrer_follower_id, code, channel, attributed_at from referrals where referred_follower_id = ${followerId}`),
      queryRows<{ n: number }>(this.db, sql`select count(*)::int as n from referrals where referrer_follower_id = ${followerId}`),
      queryRows<Record<string, unknown>>(this.db, sql`select creator_id, commission_bps, status, decided_at from distributors where follower_id = ${followerId} order by decided_at`),
      queryRows<Record<string, unknown>>(this.db, sql`select order_id, currency, commission_bps, commission_minor, status, payable_after, created_at, paid_out_at from commission_entries
        where distributor_follower_id = ${followerId} order by created_at`),
    ]);
    return { code: code?.code ?? null, referredBy: referredBy ?? null, referredCount: referred?.n ?? 0, distributorships, commissions };
  }

  async delete(followerId: string): Promise<boolean> {
    const [follower] = await queryRows<{ id: string }>(this.db, sql`select id from followers where id = ${followerId} for update`);
    if (!follower) return false;
    const externalIds = (await queryRows<{ external_id: string }>(this.db, sql`select external_id from identities where follower_id = ${followerId}`)).map((r) => r.external_id);
    // Their chats: a private chat's id is the follower's platform id, and send logs keep it even
    // where they no longer name the follower.
    const chatIds = sql`(select external_id from identities where follower_id = ${followerId})`;
    await this.db.execute(sql`delete from sends where follower_id = ${followerId} or chat_id in ${chatIds}`);
    await this.db.execute(sql`delete from reply_queue where follower_id = ${followerId} or chat_id in ${chatIds}`);
    // Paid and refunded orders are accounting records: kept, without the follower (the foreign
    // key sets it null); orders that never took money go.
    await this.db.execute(sql`delete from orders where follower_id = ${followerId} and status not in ('paid', 'refunded')`);
    // The audit log keeps what was done, not to whom: the id becomes a one-way pseudonym, which
    // still answers "was this follower erased?" for someone who holds the id.
    const pseudonym = erasedPseudonym(followerId);
    await this.db.execute(sql`update audit_log set subject_id = ${pseudonym} where subject_id = ${followerId}`);
    for (const secret of [followerId, ...externalIds]) {
      await this.db.execute(sql`update audit_log set details = replace(details::text, ${JSON.stringify(secret).slice(1, -1)}, ${pseudonym})::jsonb
        where strpos(details::text, ${JSON.stringify(secret).slice(1, -1)}) > 0`);
    }
    // Identities, events, entitlements, outbox (and its cap claims), cap counters, segments and
    // queued replies cascade; orders lose the link.
    await this.db.execute(sql`delete from followers where id = ${followerId}`);
    return true;
  }
}

