import { sql } from 'drizzle-orm';
import type { CommissionEntry, Currency, Distributor, NewRewardCoupon, PayoutLine, ReferralChannel, ReferralProgram, ReferralRepository } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray, toDate, tsParam, type PgTimestamp } from './pg-sql.js';

interface ProgramRow {
  creator_id: string;
  reward_percent_off: number | null;
  reward_amount_off_minor: number | null;
  reward_currency: string | null;
  reward_amount_off_stars: number | null;
  reward_valid_days: number;
  refund_window_days: number;
  is_active: boolean;
  updated_at: PgTimestamp;
}

const toProgram = (r: ProgramRow): ReferralProgram => ({
  creatorId: r.creator_id, rewardPercentOff: r.reward_percent_off, rewardAmountOffMinor: r.reward_amount_off_minor, rewardCurrency: r.reward_currency as Currency | null,
  rewardAmountOffStars: r.reward_amount_off_stars, rewardValidDays: r.reward_valid_days, refundWindowDays: r.refund_window_days, isActive: r.is_active, updatedAt: toDate(r.updated_at),
});

interface DistributorRow {
  creator_id: string;
  follower_id: string;
  commission_bps: number;
  status: string;
  decided_by: string;
  decided_at: PgTimestamp;
}

const toDistributor = (r: DistributorRow): Distributor => ({
  creatorId: r.creator_id, followerId: r.follower_id, commissionBps: r.commission_bps, status: r.status as Distributor['status'], decidedBy: r.decided_by, decidedAt: toDate(r.decided_at),
});

interface CommissionRow {
  id: string;
  order_id: string;
  creator_id: string;
  distributor_follower_id: string | null;
  order_amount_minor: number;
  currency: string;
  commission_bps: number;
  commission_minor: number;
  status: string;
  payable_after: PgTimestamp;
  created_at: PgTimestamp;
}

const COMMISSION_COLUMNS = sql.raw('id, order_id, creator_id, distributor_follower_id, order_amount_minor, currency, commission_bps, commission_minor, status, payable_after, created_at');

const toCommission = (r: CommissionRow): CommissionEntry => ({
  id: r.id, orderId: r.order_id, creatorId: r.creator_id, distributorFollowerId: r.distributor_follower_id, orderAmountMinor: r.order_amount_minor, currency: r.currency as Currency,
  commissionBps: r.commission_bps, commissionMinor: r.commission_minor, status: r.status as CommissionEntry['status'], payableAfter: toDate(r.payable_after), createdAt: toDate(r.created_at),
});

/** Referral codes, referrals, programmes, distributors and the commission ledger (models/migrations/0022_referrals.sql). */
export class PgReferralRepository implements ReferralRepository {
  constructor(private readonly db: Db) {}

  async codeOf(followerId: string, candidate: string): Promise<string> {
    const [row] = await queryRows<{ code: string }>(
      this.db,
      sql`WITH ins AS (INSERT INTO referral_codes (follower_id, code) VALUES (${followerId}, ${candidate}) ON CONFLICT (follower_id) DO NOTHING RETURNING code)
          SELECT code FROM ins UNION ALL SELECT code FROM referral_codes WHERE follower_id = ${followerId} LIMIT 1`,
    );
    return row!.code;
  }

  async followerOfCode(code: string): Promise<string | null> {
    const [row] = await queryRows<{ follower_id: string }>(this.db, sql`SELECT follower_id FROM referral_codes WHERE code = ${code}`);
    return row?.follower_id ?? null;
  }

  async attribute(r: { referredId: string; referrerId: string; code: string; channel: ReferralChannel; at: Date }): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      sql`INSERT INTO referrals (referred_follower_id, referrer_follower_id, code, channel, attributed_at)
          VALUES (${r.referredId}, ${r.referrerId}, ${r.code}, ${r.channel}, ${tsParam(r.at)}) ON CONFLICT (referred_follower_id) DO NOTHING RETURNING 1`,
    );
    return rows.length === 1;
  }

  async referrerOf(referredId: string): Promise<{ referrerId: string; code: string } | null> {
    const [row] = await queryRows<{ referrer_follower_id: string; code: string }>(this.db, sql`SELECT referrer_follower_id, code FROM referrals WHERE referred_follower_id = ${referredId}`);
    return row ? { referrerId: row.referrer_follower_id, code: row.code } : null;
  }

  async addLinkKeys(followerId: string, keys: readonly string[], at: Date): Promise<void> {
    if (keys.length === 0) return;
    await queryRows(
      this.db,
      sql`INSERT INTO follower_link_keys (key, follower_id, first_seen_at) SELECT k, ${followerId}, ${tsParam(at)} FROM unnest(${pgArray([...keys])}::text[]) AS k ON CONFLICT DO NOTHING`,
    );
  }

  async sharedLinkKind(a: string, b: string): Promise<string | null> {
    const [row] = await queryRows<{ key: string }>(
      this.db,
      sql`SELECT x.key FROM follower_link_keys x JOIN follower_link_keys y ON y.key = x.key AND y.follower_id = ${b} WHERE x.follower_id = ${a} ORDER BY x.key LIMIT 1`,
    );
    return row ? row.key.slice(0, row.key.indexOf(':')) : null;
  }

  async programOf(creatorId: string): Promise<ReferralProgram | null> {
    const [row] = await queryRows<ProgramRow>(this.db, sql`SELECT * FROM referral_programs WHERE creator_id = ${creatorId}`);
    return row ? toProgram(row) : null;
  }

  async putProgram(p: ReferralProgram): Promise<ReferralProgram> {
    const [row] = await queryRows<ProgramRow>(
      this.db,
      sql`INSERT INTO referral_programs (creator_id, reward_percent_off, reward_amount_off_minor, reward_currency, reward_amount_off_stars, reward_valid_days, refund_window_days, is_active, updated_at)
          VALUES (${p.creatorId}, ${p.rewardPercentOff}, ${p.rewardAmountOffMinor}, ${p.rewardCurrency}, ${p.rewardAmountOffStars}, ${p.rewardValidDays}, ${p.refundWindowDays}, ${p.isActive}, ${tsParam(p.updatedAt)})
          ON CONFLICT (creator_id) DO UPDATE SET reward_percent_off = excluded.reward_percent_off, reward_amount_off_minor = excluded.reward_amount_off_minor,
            reward_currency = excluded.reward_currency, reward_amount_off_stars = excluded.reward_amount_off_stars, reward_valid_days = excluded.reward_valid_days,
            refund_window_days = excluded.refund_window_days, is_active = excluded.is_active, updated_at = excluded.updated_at
          RETURNING *`,
    );
    return toProgram(row!);
  }

  async distributorOf(creatorId: string, followerId: string): Promise<Distributor | null> {
    const [row] = await queryRows<DistributorRow>(this.db, sql`SELECT * FROM distributors WHERE creator_id = ${creatorId} AND follower_id = ${followerId}`);
    return row ? toDistributor(row) : null;
  }

  async putDistributor(d: Distributor): Promise<Distributor> {
    const [row] = await queryRows<DistributorRow>(
      this.db,
      sql`INSERT INTO distributors (creator_id, follower_id, commission_bps, status, decided_by, decided_at)
          VALUES (${d.creatorId}, ${d.followerId}, ${d.commissionBps}, ${d.status}, ${d.decidedBy}, ${tsParam(d.decidedAt)})
          ON CONFLICT (creator_id, follower_id) DO UPDATE SET commission_bps = excluded.commission_bps, status = excluded.status, decided_by = excluded.decided_by, decided_at = excluded.decided_at
          RETURNING *`,
    );
    return toDistributor(row!);
  }

  async listDistributors(filter: { creatorId?: string }): Promise<Array<Distributor & { displayName: string | null; referred: number }>> {
    const rows = await queryRows<DistributorRow & { display_name: string | null; referred: number }>(
      this.db,
      sql`SELECT d.*, f.display_name, (SELECT count(*)::int FROM referrals r WHERE r.referrer_follower_id = d.follower_id) AS referred
          FROM distributors d JOIN followers f ON f.id = d.follower_id
          WHERE ${filter.creatorId ?? null}::uuid IS NULL OR d.creator_id = ${filter.creatorId ?? null}::uuid
          ORDER BY d.decided_at DESC`,
    );
    return rows.map((r) => ({ ...toDistributor(r), displayName: r.display_name, referred: r.referred }));
  }

  async recordConversion(c: { orderId: string; referrerId: string; referredId: string; creatorId: string | null; reward: 'coupon' | 'commission' | 'none'; rewardCouponId: string | null; at: Date }): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      sql`INSERT INTO referral_conversions (order_id, referrer_follower_id, referred_follower_id, creator_id, reward, reward_coupon_id, created_at)
          VALUES (${c.orderId}, ${c.referrerId}, ${c.referredId}, ${c.creatorId}, ${c.reward}, ${c.rewardCouponId}, ${tsParam(c.at)}) ON CONFLICT (order_id) DO NOTHING RETURNING 1`,
    );
    return rows.length === 1;
  }

  async createRewardCoupon(c: NewRewardCoupon): Promise<{ couponId: string; code: string }> {
    // The coupon's own code is a template nobody can redeem (per_follower); the referrer's code is issued from it.
    const [row] = await queryRows<{ id: string }>(
      this.db,
      sql`INSERT INTO coupons (course_id, creator_id, code, name, code_kind, percent_off, amount_off_minor, currency, amount_off_stars, valid_until, max_redemptions, per_follower_limit)
          VALUES (null, ${c.creatorId}, ${`${c.code}T`}, '邀请奖励 / Referral reward', 'per_follower', ${c.percentOff}, ${c.amountOffMinor}, ${c.currency}, ${c.amountOffStars}, ${tsParam(c.validUntil)}, 1, 1)
          RETURNING id`,
    );
    await queryRows(this.db, sql`INSERT INTO coupon_codes (code, coupon_id, follower_id) VALUES (${c.code}, ${row!.id}, ${c.referrerId})`);
    return { couponId: row!.id, code: c.code };
  }

  async insertCommission(e: Omit<CommissionEntry, 'id' | 'status'>): Promise<CommissionEntry> {
    const [row] = await queryRows<CommissionRow>(
      this.db,
      sql`INSERT INTO commission_entries (order_id, creator_id, distributor_follower_id, order_amount_minor, currency, commission_bps, commission_minor, payable_after, created_at)
          VALUES (${e.orderId}, ${e.creatorId}, ${e.distributorFollowerId}, ${e.orderAmountMinor}, ${e.currency}, ${e.commissionBps}, ${e.commissionMinor}, ${tsParam(e.payableAfter)}, ${tsParam(e.createdAt)})
          RETURNING ${COMMISSION_COLUMNS}`,
    );
    return toCommission(row!);
  }

  async cancelForOrder(orderId: string, at: Date): Promise<{ commission: CommissionEntry | null; rewardCouponId: string | null }> {
    const [cancelled] = await queryRows<CommissionRow>(
      this.db,
      sql`UPDATE commission_entries SET status = CASE WHEN status = 'paid_out' THEN status ELSE 'cancelled' END,
            cancelled_at = CASE WHEN status = 'paid_out' THEN cancelled_at ELSE ${tsParam(at)} END
          WHERE order_id = ${orderId} AND status <> 'cancelled' RETURNING ${COMMISSION_COLUMNS}`,
    );
    // A reward coupon not yet redeemed is switched off; one already used stays as it was.
    const [coupon] = await queryRows<{ id: string }>(
      this.db,
      sql`UPDATE coupons c SET is_active = false FROM referral_conversions rc
          WHERE rc.order_id = ${orderId} AND c.id = rc.reward_coupon_id AND c.is_active AND c.redeemed_count = 0 RETURNING c.id`,
    );
    return { commission: cancelled ? toCommission(cancelled) : null, rewardCouponId: coupon?.id ?? null };
  }

  async releasePayable(now: Date): Promise<CommissionEntry[]> {
    const rows = await queryRows<CommissionRow>(
      this.db,
      sql`UPDATE commission_entries e SET status = 'payable', payable_at = ${tsParam(now)}
          FROM orders o WHERE o.id = e.order_id AND o.status = 'paid' AND e.status = 'pending' AND e.payable_after <= ${tsParam(now)}
          RETURNING e.id, e.order_id, e.creator_id, e.distributor_follower_id, e.order_amount_minor, e.currency, e.commission_bps, e.commission_minor, e.status, e.payable_after, e.created_at`,
    );
    return rows.map(toCommission);
  }

  async listCommissions(filter: { creatorId?: string; distributorFollowerId?: string; status?: CommissionEntry['status'] }): Promise<CommissionEntry[]> {
    const rows = await queryRows<CommissionRow>(
      this.db,
      sql`SELECT ${COMMISSION_COLUMNS} FROM commission_entries
          WHERE (${filter.creatorId ?? null}::uuid IS NULL OR creator_id = ${filter.creatorId ?? null}::uuid)
            AND (${filter.distributorFollowerId ?? null}::uuid IS NULL OR distributor_follower_id = ${filter.distributorFollowerId ?? null}::uuid)
            AND (${filter.status ?? null}::text IS NULL OR status = ${filter.status ?? null}::text)
          ORDER BY created_at DESC LIMIT 1000`,
    );
    return rows.map(toCommission);
  }

  async payoutReport(filter: { creatorId?: string }): Promise<PayoutLine[]> {
    type Row = {
      creator_id: string; distributor_follower_id: string | null; display_name: string | null; currency: string; pending: number; payable: number; paid_out: number; cancelled: number; orders: number;
    };
    const rows = await queryRows<Row>(
      this.db,
      sql`SELECT e.creator_id, e.distributor_follower_id, f.display_name, e.currency,
                 coalesce(sum(e.commission_minor) FILTER (WHERE e.status = 'pending'), 0)::int AS pending,
                 coalesce(sum(e.commission_minor) FILTER (WHERE e.status = 'payable'), 0)::int AS payable,
                 coalesce(sum(e.commission_minor) FILTER (WHERE e.status = 'paid_out'), 0)::int AS paid_out,
                 coalesce(sum(e.commission_minor) FILTER (WHERE e.status = 'cancelled'), 0)::int AS cancelled,
                 count(*)::int AS orders
          FROM commission_entries e LEFT JOIN followers f ON f.id = e.distributor_follower_id
          WHERE ${filter.creatorId ?? null}::uuid IS NULL OR e.creator_id = ${filter.creatorId ?? null}::uuid
          GROUP BY e.creator_id, e.distributor_follower_id, f.display_name, e.currency
          ORDER BY e.currency, payable DESC, e.distributor_follower_id NULLS LAST`,
    );
    return rows.map((r) => ({
      creatorId: r.creator_id, distributorFollowerId: r.distributor_follower_id, displayName: r.display_name, currency: r.currency as Currency,
      pendingMinor: r.pending, payableMinor: r.payable, paidOutMinor: r.paid_out, cancelledMinor: r.cancelled, orders: r.orders,
    }));
  }

  async markPaidOut(input: { creatorId: string; distributorFollowerId: string; currency: Currency; reference: string; at: Date }): Promise<CommissionEntry[]> {
    const rows = await queryRows<CommissionRow>(
      this.db,
      sql`UPDATE commission_entries SET status = 'paid_out', paid_out_at = ${tsParam(input.at)}, payout_reference = ${input.reference}
          WHERE creator_id = ${input.creatorId} AND distributor_follower_id = ${input.distributorFollowerId} AND currency = ${input.currency} AND status = 'payable'
          RETURNING ${COMMISSION_COLUMNS}`,
    );
    return rows.map(toCommission);
  }
}
