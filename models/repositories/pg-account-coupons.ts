import { sql } from 'drizzle-orm';
import type { Coupon, CouponRepository, CouponUsage, Currency, NewCoupon } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { COUPON_COLUMNS, PgCouponLedger, toCoupon, type CouponRow } from './pg-coupon-ledger.js';
import { tsParamOrNull } from './pg-sql.js';

interface UsageRow {
  coupon_id: string;
  reserved: number;
  redeemed: number;
  released: number;
}

interface RevenueRow {
  coupon_id: string;
  currency: string;
  amount_minor: number;
  discount_minor: number;
  orders: number;
}

/** Coupons as the console edits them, with their usage and revenue (models/migrations/0006 and 0020). */
export class PgCouponRepository implements CouponRepository {
  constructor(private readonly db: Db) {}

  async insert(coupon: NewCoupon): Promise<Coupon> {
    const [row] = await queryRows<CouponRow>(
      this.db,
      sql`WITH c AS (
            INSERT INTO coupons (course_id, creator_id, code, name, code_kind, percent_off, amount_off_minor, currency, amount_off_stars, max_redemptions, per_follower_limit, valid_from, valid_until)
            VALUES (${coupon.courseId}, ${coupon.creatorId}, ${coupon.code}, ${coupon.name}, ${coupon.codeKind}, ${coupon.percentOff}, ${coupon.amountOffMinor}, ${coupon.currency},
                    ${coupon.amountOffStars}, ${coupon.maxRedemptions}, ${coupon.perFollowerLimit}, ${tsParamOrNull(coupon.validFrom)}, ${tsParamOrNull(coupon.validUntil)})
            RETURNING *
          )
          SELECT ${COUPON_COLUMNS} FROM c`,
    );
    return toCoupon(row!);
  }

  async listWithUsage(filter: { creatorId?: string }): Promise<Array<Coupon & { usage: CouponUsage }>> {
    const mine = filter.creatorId
      ? sql`WHERE c.creator_id = ${filter.creatorId} OR c.course_id IN (SELECT id FROM courses WHERE creator_id = ${filter.creatorId})`
      : sql``;
    const rows = await queryRows<CouponRow>(this.db, sql`SELECT ${COUPON_COLUMNS} FROM coupons c ${mine} ORDER BY c.created_at DESC LIMIT 500`);
    if (rows.length === 0) return [];
    const ids = sql.join(rows.map((r) => sql`${r.id}::uuid`), sql`, `);
    const [usage, revenue] = await Promise.all([
      queryRows<UsageRow>(
        this.db,
        sql`SELECT coupon_id, count(*) FILTER (WHERE status = 'reserved' AND reserved_until > now())::int AS reserved,
                   count(*) FILTER (WHERE status = 'redeemed')::int AS redeemed, count(*) FILTER (WHERE status = 'released')::int AS released
            FROM coupon_redemptions WHERE coupon_id IN (${ids}) GROUP BY coupon_id`,
      ),
      queryRows<RevenueRow>(
        this.db,
        sql`SELECT r.coupon_id, o.currency, sum(o.amount_minor)::int AS amount_minor, sum(r.discount_minor)::int AS discount_minor, count(*)::int AS orders
            FROM coupon_redemptions r JOIN orders o ON o.id = r.order_id
            WHERE r.coupon_id IN (${ids}) AND r.status = 'redeemed' AND o.status = 'paid'
            GROUP BY r.coupon_id, o.currency ORDER BY o.currency`,
      ),
    ]);
    const usageOf = new Map(usage.map((u) => [u.coupon_id, u]));
    return rows.map((row) => {
      const u = usageOf.get(row.id);
      return {
        ...toCoupon(row),
        usage: {
          reserved: u?.reserved ?? 0,
          redeemed: u?.redeemed ?? 0,
          released: u?.released ?? 0,
          revenue: revenue
            .filter((r) => r.coupon_id === row.id)
            .map((r) => ({ currency: r.currency as Currency, amountMinor: r.amount_minor, discountMinor: r.discount_minor, orders: r.orders })),
        },
      };
    });
  }

  async listForCourse(courseId: string): Promise<Coupon[]> {
    const rows = await queryRows<CouponRow>(this.db, sql`SELECT ${COUPON_COLUMNS} FROM coupons c WHERE c.course_id = ${courseId} ORDER BY c.created_at DESC`);
    return rows.map(toCoupon);
  }

  async findById(id: string): Promise<Coupon | null> {
    const [row] = await queryRows<CouponRow>(this.db, sql`SELECT ${COUPON_COLUMNS} FROM coupons c WHERE c.id = ${id}`);
    return row ? toCoupon(row) : null;
  }

  issueCode(couponId: string, followerId: string, code: string): Promise<string> {
    return new PgCouponLedger(this.db).issueFollowerCode(couponId, followerId, code);
  }

  async setActive(id: string, isActive: boolean): Promise<Coupon | null> {
    const [row] = await queryRows<CouponRow>(this.db, sql`WITH c AS (UPDATE coupons SET is_active = ${isActive} WHERE id = ${id} RETURNING *) SELECT ${COUPON_COLUMNS} FROM c`);
    return row ? toCoupon(row) : null;
  }
}
