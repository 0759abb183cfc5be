import { and, desc, eq, gt, isNotNull, sql } from 'drizzle-orm';
import type { Currency, NewOrder, Order, OrderRepository, OrderStatus, PaymentProvider } from '../../core/index.js';
import type { Db } from '../database.js';
import { entitlements, orders } from '../schema.js';

type OrderRow = typeof orders.$inferSelect;

/**
 * An order row as the domain sees it. Rows whose follower was erased (follower_id null) are kept
 * for accounting only; every query here filters them out (`isOwned`), so the use cases never
 * meet one.
 */
export function toOrder(row: OrderRow): Order {
  if (row.followerId === null) throw new Error(`order ${row.id} is anonymised (its follower was erased); it is an accounting record only`);
  return {
    id: row.id,
    followerId: row.followerId,
    courseId: row.courseId,
    amountMinor: row.amountMinor,
    currency: row.currency as Currency,
    provider: row.provider as PaymentProvider,
    status: row.status as OrderStatus,
    providerChargeId: row.providerChargeId,
    createdAt: row.createdAt,
    paidAt: row.paidAt,
    refundedAt: row.refundedAt,
  };
}

const isOwned = isNotNull(orders.followerId);

export class PgOrderRepository implements OrderRepository {
  constructor(private readonly db: Db) {}

  async create(order: NewOrder): Promise<Order> {
    const [row] = await this.db.insert(orders).values(order).returning();
    return toOrder(row!);
  }

  async findById(id: string): Promise<Order | null> {
    const [row] = await this.db.select().from(orders).where(and(eq(orders.id, id), isOwned));
    return row ? toOrder(row) : null;
  }

  async findByIdForUpdate(id: string): Promise<Order | null> {
    const [row] = await this.db.select().from(orders).where(and(eq(orders.id, id), isOwned)).for('update');
    return row ? toOrder(row) : null;
  }

  async findByProviderCharge(provider: PaymentProvider, providerChargeId: string): Promise<Order | null> {
    const [row] = await this.db
      .select()
      .from(orders)
      .where(and(eq(orders.provider, provider), eq(orders.providerChargeId, providerChargeId), isOwned));
    return row ? toOrder(row) : null;
  }

  async findOpen(followerId: string, courseId: string, provider: PaymentProvider, since: Date): Promise<Order | null> {
    const [row] = await this.db
      .select()
      .from(orders)
      .where(and(eq(orders.followerId, followerId), eq(orders.courseId, courseId), eq(orders.provider, provider), eq(orders.status, 'pending'), gt(orders.createdAt, since)))
      .orderBy(desc(orders.createdAt))
      .limit(1);
    return row ? toOrder(row) : null;
  }

  async listByFollower(followerId: string): Promise<Order[]> {
    const rows = await this.db.select().from(orders).where(eq(orders.followerId, followerId)).orderBy(desc(orders.createdAt));
    return rows.map(toOrder);
  }

  async markPaid(id: string, providerChargeId: string, paidAt: Date): Promise<Order> {
    const [row] = await this.db
      .update(orders)
      .set({ status: 'paid', providerChargeId, paidAt, updatedAt: new Date() })
      .where(and(eq(orders.id, id), eq(orders.status, 'pending'), isOwned))
      .returning();
    if (!row) throw new Error(`order ${id} is not pending`);
    return toOrder(row);
  }

  async markRefunded(id: string, refundedAt: Date): Promise<Order> {
    const [row] = await this.db
      .update(orders)
      .set({ status: 'refunded', refundedAt, updatedAt: new Date() })
      .where(and(eq(orders.id, id), eq(orders.status, 'paid'), isOwned))
      .returning();
    if (!row) throw new Error(`order ${id} is not paid`);
    return toOrder(row);
  }

  async grantEntitlement(followerId: string, courseId: string, orderId: string, at: Date): Promise<void> {
    await this.db
      .insert(entitlements)
      .values({ followerId, courseId, orderId, grantedAt: at })
      .onConflictDoUpdate({ target: [entitlements.followerId, entitlements.courseId], set: { orderId, grantedAt: at, revokedAt: sql`null` } });
  }

  async revokeEntitlement(followerId: string, courseId: string, at: Date): Promise<void> {
    await this.db
      .update(entitlements)
      .set({ revokedAt: at })
      .where(and(eq(entitlements.followerId, followerId), eq(entitlements.courseId, courseId)));
  }
}
