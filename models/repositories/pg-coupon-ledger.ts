import { sql } from 'drizzle-orm';
import type { Coupon, CouponCodeKind, CouponLedger, Currency, NewReservation, RedemptionRelease } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, toDateOrNull, tsParam, type PgTimestamp } from './pg-sql.js';

/** A coupons row as {@link COUPON_COLUMNS} returns it. */
export interface CouponRow {
  id: string;
  course_id: string | null;
  creator_id: string | null;
  code: string;
  name: string;
  code_kind: string;
  percent_off: number | null;
  amount_off_minor: number | null;
  currency: string | null;
  amount_off_stars: number | null;
  valid_from: PgTimestamp | null;
  valid_until: PgTimestamp | null;
  max_redemptions: number | null;
  per_follower_limit: number;
  redeemed_count: number;
  is_active: boolean;
  created_at: PgTimestamp;
}

export const COUPON_COLUMNS = sql.raw(
  'c.id, c.course_id, c.creator_id, c.code, c.name, c.code_kind, c.percent_off, c.amount_off_minor, c.currency, c.amount_off_stars, c.valid_from, c.valid_until, c.max_redemptions, c.per_follower_limit, c.redeemed_count, c.is_active, c.created_at',
);

export const toCoupon = (row: CouponRow): Coupon => ({
  id: row.id,
  courseId: row.course_id,
  creatorId: row.creator_id,
  code: row.code,
  name: row.name,
  codeKind: row.code_kind as CouponCodeKind,
  percentOff: row.percent_off,
  amountOffMinor: row.amount_off_minor,
  currency: row.currency as Currency | null,
  amountOffStars: row.amount_off_stars,
  validFrom: toDateOrNull(row.valid_from),
  validUntil: toDateOrNull(row.valid_until),
  maxRedemptions: row.max_redemptions,
  perFollowerLimit: row.per_follower_limit,
  redeemedCount: row.redeemed_count,
  isActive: row.is_active,
  createdAt: toDate(row.created_at),
});

/** The coupons, coupon_codes and coupon_redemptions tables (models/migrations/0020_commerce.sql). */
export class PgCouponLedger implements CouponLedger {
  constructor(private readonly db: Db) {}

  async findByCode(code: string): Promise<Array<{ coupon: Coupon; ownerFollowerId: string | null }>> {
    const rows = await queryRows<CouponRow & { owner_follower_id: string | null }>(
      this.db,
      sql`SELECT ${COUPON_COLUMNS}, null::uuid AS owner_follower_id FROM coupons c WHERE c.code = ${code}
          UNION ALL
          SELECT ${COUPON_COLUMNS}, k.follower_id AS owner_follower_id FROM coupon_codes k JOIN coupons c ON c.id = k.coupon_id WHERE k.code = ${code}`,
    );
    return rows.map((row) => ({ coupon: toCoupon(row), ownerFollowerId: row.owner_follower_id }));
  }

  async automaticFor(course: { id: string; creatorId: string | null }): Promise<Coupon[]> {
    const rows = await queryRows<CouponRow>(
      this.db,
      sql`SELECT ${COUPON_COLUMNS} FROM coupons c
          WHERE c.code_kind = 'automatic' AND c.is_active
            AND (c.course_id = ${course.id} OR (c.course_id IS NULL AND (c.creator_id IS NULL OR c.creator_id = ${course.creatorId})))`,
    );
    return rows.map(toCoupon);
  }

  async lock(couponId: string): Promise<void> {
    await queryRows(this.db, sql`SELECT id FROM coupons WHERE id = ${couponId} FOR UPDATE`);
  }

  async countInUse(couponId: string, followerId: string, now: Date): Promise<{ total: number; byFollower: number }> {
    const [row] = await queryRows<{ total: number; by_follower: number }>(
      this.db,
      sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE follower_id = ${followerId})::int AS by_follower
          FROM coupon_redemptions
          WHERE coupon_id = ${couponId} AND (status = 'redeemed' OR (status = 'reserved' AND reserved_until > ${tsParam(now)}))`,
    );
    return { total: row?.total ?? 0, byFollower: row?.by_follower ?? 0 };
  }

  async reserve(r: NewReservation): Promise<void> {
    await queryRows(
      this.db,
      sql`INSERT INTO coupon_redemptions (coupon_id, code, follower_id, order_id, original_amount_minor, discount_minor, currency, reserved_until)
          VALUES (${r.couponId}, ${r.code}, ${r.followerId}, ${r.orderId}, ${r.originalAmountMinor}, ${r.discountMinor}, ${r.currency}, ${tsParam(r.reservedUntil)})`,
    );
  }

  async redeem(orderId: string, at: Date): Promise<{ couponId: string; code: string } | null> {
    // A reservation that lapsed (or was released) is still honoured: the payer paid the price we invoiced.
    const [row] = await queryRows<{ coupon_id: string; code: string }>(
      this.db,
      sql`WITH done AS (
            UPDATE coupon_redemptions SET status = 'redeemed', redeemed_at = ${tsParam(at)}, released_at = null, release_reason = null
            WHERE order_id = ${orderId} AND status <> 'redeemed' RETURNING coupon_id, code
          ), counted AS (
            UPDATE coupons SET redeemed_count = redeemed_count + 1 WHERE id IN (SELECT coupon_id FROM done)
          )
          SELECT coupon_id, code FROM done`,
    );
    return row ? { couponId: row.coupon_id, code: row.code } : null;
  }

  async release(orderId: string, reason: RedemptionRelease, at: Date): Promise<{ couponId: string; code: string } | null> {
    const from = reason === 'refunded' ? 'redeemed' : 'reserved';
    const [row] = await queryRows<{ coupon_id: string; code: string }>(
      this.db,
      sql`WITH done AS (
            UPDATE coupon_redemptions SET status = 'released', released_at = ${tsParam(at)}, release_reason = ${reason}
            WHERE order_id = ${orderId} AND status = ${from} RETURNING coupon_id, code
          ), counted AS (
            UPDATE coupons SET redeemed_count = greatest(redeemed_count - 1, 0) WHERE ${from === 'redeemed'} AND id IN (SELECT coupon_id FROM done)
          )
          SELECT coupon_id, code FROM done`,
    );
    return row ? { couponId: row.coupon_id, code: row.code } : null;
  }

  async releaseLapsed(couponId: string, now: Date): Promise<Array<{ orderId: string; code: string }>> {
    const rows = await queryRows<{ order_id: string; code: string }>(
      this.db,
      sql`UPDATE coupon_redemptions SET status = 'released', released_at = ${tsParam(now)}, release_reason = 'expired'
          WHERE coupon_id = ${couponId} AND status = 'reserved' AND reserved_until <= ${tsParam(now)} RETURNING order_id, code`,
    );
    return rows.map((r) => ({ orderId: r.order_id, code: r.code }));
  }

  async issueFollowerCode(couponId: string, followerId: string, code: string): Promise<string> {
    const [row] = await queryRows<{ code: string }>(
      this.db,
      sql`WITH ins AS (
            INSERT INTO coupon_codes (code, coupon_id, follower_id) VALUES (${code}, ${couponId}, ${followerId})
            ON CONFLICT (coupon_id, follower_id) DO NOTHING RETURNING code
          )
          SELECT code FROM ins UNION ALL SELECT code FROM coupon_codes WHERE coupon_id = ${couponId} AND follower_id = ${followerId} LIMIT 1`,
    );
    return row!.code;
  }
}
