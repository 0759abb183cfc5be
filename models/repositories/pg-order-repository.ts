import { sql } from 'drizzle-orm';
import type { Currency, NewOrder, Order, OrderRepository, OrderStatus, PaymentProvider } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, toDateOrNull, tsParam, type PgTimestamp } from './pg-sql.js';

/** An orders row as raw SQL returns it ({@link ORDER_COLUMNS}). */
export interface OrderRow {
  id: string;
  follower_id: string | null;
  course_id: string;
  amount_minor: number;
  currency: string;
  provider: string;
  status: string;
  provider_charge_id: string | null;
  created_at: PgTimestamp;
  paid_at: PgTimestamp | null;
  refunded_at: PgTimestamp | null;
  coupon_id: string | null;
  original_amount_minor: number | null;
}

const ORDER_COLUMNS = sql`id, follower_id, course_id, amount_minor, currency, provider, status, provider_charge_id, created_at, paid_at, refunded_at, coupon_id, original_amount_minor`;

/**
 * An order row as the domain sees it. Rows whose follower was erased (follower_id null) are kept
 * for accounting only; every query here filters them out (`IS_OWNED`), so the use cases never
 * meet one.
 */
export function toOrder(row: OrderRow): Order {
  if (row.follower_id === null) throw new Error(`order ${row.id} is anonymised (its follower was erased); it is an accounting record only`);
  return {
    id: row.id,
    followerId: row.follower_id,
    courseId: row.course_id,
    amountMinor: row.amount_minor,
    currency: row.currency as Currency,
    provider: row.provider as PaymentProvider,
    status: row.status as OrderStatus,
    providerChargeId: row.provider_charge_id,
    createdAt: toDate(row.created_at),
    paidAt: toDateOrNull(row.paid_at),
    refundedAt: toDateOrNull(row.refunded_at),
    couponId: row.coupon_id,
    originalAmountMinor: row.original_amount_minor,
  };
}

const IS_OWNED = sql`follower_id IS NOT NULL`;

export class PgOrderRepository implements OrderRepository {
  constructor(private readonly db: Db) {}

  async create(order: NewOrder): Promise<Order> {
    const [row] = await queryRows<OrderRow>(
      this.db,
      sql`INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, coupon_id, original_amount_minor)
          VALUES (${order.followerId}, ${order.courseId}, ${order.amountMinor}, ${order.currency}, ${order.provider}, ${order.couponId ?? null}, ${order.originalAmountMinor ?? null})
          RETURNING ${ORDER_COLUMNS}`,
    );
    return toOrder(row!);
  }

  async findById(id: string): Promise<Order | null> {
    const [row] = await queryRows<OrderRow>(this.db, sql`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ${id} AND ${IS_OWNED}`);
    return row ? toOrder(row) : null;
  }

  async findByIdForUpdate(id: string): Promise<Order | null> {
    const [row] = await queryRows<OrderRow>(this.db, sql`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ${id} AND ${IS_OWNED} FOR UPDATE`);
    return row ? toOrder(row) : null;
  }

  async findByProviderCharge(provider: PaymentProvider, providerChargeId: string): Promise<Order | null> {
    const [row] = await queryRows<OrderRow>(
      this.db,
      sql`SELECT ${ORDER_COLUMNS} FROM orders WHERE provider = ${provider} AND provider_charge_id = ${providerChargeId} AND ${IS_OWNED}`,
    );
    return row ? toOrder(row) : null;
  }

  async findOpen(followerId: string, courseId: string, provider: PaymentProvider, since: Date): Promise<Order | null> {
    const [row] = await queryRows<OrderRow>(
      this.db,
      sql`SELECT ${ORDER_COLUMNS} FROM orders
          WHERE follower_id = ${followerId} AND course_id = ${courseId} AND provider = ${provider} AND status = 'pending' AND created_at > ${tsParam(since)}
          ORDER BY created_at DESC LIMIT 1`,
    );
    return row ? toOrder(row) : null;
  }

  async listByFollower(followerId: string): Promise<Order[]> {
    const rows = await queryRows<OrderRow>(this.db, sql`SELECT ${ORDER_COLUMNS} FROM orders WHERE follower_id = ${followerId} ORDER BY created_at DESC`);
    return rows.map(toOrder);
  }

  async markPaid(id: string, providerChargeId: string, paidAt: Date): Promise<Order> {
    const [row] = await queryRows<OrderRow>(
      this.db,
      sql`UPDATE orders SET status = 'paid', provider_charge_id = ${providerChargeId}, paid_at = ${tsParam(paidAt)}, updated_at = ${tsParam(new Date())}
          WHERE id = ${id} AND status = 'pending' AND ${IS_OWNED}
          RETURNING ${ORDER_COLUMNS}`,
    );
    if (!row) throw new Error(`order ${id} is not pending`);
    return toOrder(row);
  }

  async markRefunded(id: string, refundedAt: Date): Promise<Order> {
    const [row] = await queryRows<OrderRow>(
      this.db,
      sql`UPDATE orders SET status = 'refunded', refunded_at = ${tsParam(refundedAt)}, updated_at = ${tsParam(new Date())}
          WHERE id = ${id} AND status = 'paid' AND ${IS_OWNED}
          RETURNING ${ORDER_COLUMNS}`,
    );
    if (!row) throw new Error(`order ${id} is not paid`);
    return toOrder(row);
  }

  async markCancelled(id: string, at: Date): Promise<Order | null> {
    const [row] = await queryRows<OrderRow>(
      this.db,
      sql`UPDATE orders SET status = 'cancelled', updated_at = ${tsParam(at)} WHERE id = ${id} AND status = 'pending' AND ${IS_OWNED} RETURNING ${ORDER_COLUMNS}`,
    );
    return row ? toOrder(row) : null;
  }

  async grantEntitlement(followerId: string, courseId: string, orderId: string, at: Date): Promise<void> {
    await queryRows(
      this.db,
      sql`INSERT INTO entitlements (follower_id, course_id, order_id, granted_at) VALUES (${followerId}, ${courseId}, ${orderId}, ${tsParam(at)})
          ON CONFLICT (follower_id, course_id) DO UPDATE SET order_id = excluded.order_id, granted_at = excluded.granted_at, revoked_at = null`,
    );
  }

  async revokeEntitlement(followerId: string, courseId: string, at: Date): Promise<void> {
    await queryRows(this.db, sql`UPDATE entitlements SET revoked_at = ${tsParam(at)} WHERE follower_id = ${followerId} AND course_id = ${courseId}`);
  }
}
