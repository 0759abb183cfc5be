import { bigint, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { RiskReason, RiskStatus } from '../core/risk/index.js';
import { followers, orders } from './schema.js';

/* Drizzle definitions of the risk tables; the SQL lives in models/migrations/0017_risk.sql. */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const followerRisk = pgTable('follower_risk', {
  followerId: uuid('follower_id').primaryKey().references(() => followers.id, { onDelete: 'cascade' }),
  status: text('status').$type<RiskStatus>().notNull(),
  score: integer('score').notNull(),
  reasons: jsonb('reasons').$type<RiskReason[]>().notNull().default([]),
  flaggedAt: ts('flagged_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  reviewedBy: text('reviewed_by'),
  reviewedAt: ts('reviewed_at'),
});

export const riskDecisions = pgTable('risk_decisions', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  followerId: uuid('follower_id').notNull().references(() => followers.id, { onDelete: 'cascade' }),
  decision: text('decision').$type<RiskStatus>().notNull(),
  score: integer('score').notNull(),
  reasons: jsonb('reasons').$type<RiskReason[]>().notNull().default([]),
  actor: text('actor').notNull(),
  at: ts('at').notNull(),
});

export const riskOrderHolds = pgTable('risk_order_holds', {
  orderId: uuid('order_id').primaryKey().references(() => orders.id, { onDelete: 'cascade' }),
  followerId: uuid('follower_id').notNull().references(() => followers.id, { onDelete: 'cascade' }),
  heldAt: ts('held_at').notNull(),
  outcome: text('outcome').$type<'released' | 'cancelled'>(),
  decidedAt: ts('decided_at'),
});
