import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { coupons } from './accounts-schema.js';
import { followers, orders } from './schema.js';

/* Drizzle definitions of the commerce tables; the SQL lives in models/migrations/0020_commerce.sql. */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const couponCodes = pgTable('coupon_codes', {
  code: text('code').primaryKey(),
  couponId: uuid('coupon_id').notNull().references(() => coupons.id, { onDelete: 'cascade' }),
  followerId: uuid('follower_id').notNull().references(() => followers.id, { onDelete: 'cascade' }),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const couponRedemptions = pgTable('coupon_redemptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  couponId: uuid('coupon_id').notNull().references(() => coupons.id, { onDelete: 'cascade' }),
  code: text('code').notNull(),
  followerId: uuid('follower_id').references(() => followers.id, { onDelete: 'set null' }),
  orderId: uuid('order_id').notNull().unique().references(() => orders.id, { onDelete: 'cascade' }),
  status: text('status').$type<'reserved' | 'redeemed' | 'released'>().notNull().default('reserved'),
  originalAmountMinor: integer('original_amount_minor').notNull(),
  discountMinor: integer('discount_minor').notNull(),
  currency: text('currency').notNull(),
  reservedUntil: ts('reserved_until').notNull(),
  releaseReason: text('release_reason'),
  createdAt: ts('created_at').notNull().defaultNow(),
  redeemedAt: ts('redeemed_at'),
  releasedAt: ts('released_at'),
});
