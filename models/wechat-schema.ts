import { bigint, boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/* Drizzle definitions of the tables in models/migrations/0003_wechat.sql. */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const mpPayNotifications = pgTable('mp_pay_notifications', {
  nonce: text('nonce').primaryKey(),
  notificationId: text('notification_id').notNull(),
  orderId: uuid('order_id'),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

export const wechatSends = pgTable('wechat_sends', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  account: text('account').notNull(),
  chatId: text('chat_id').notNull(),
  isRoom: boolean('is_room').notNull().default(false),
  followerId: uuid('follower_id'),
  purpose: text('purpose').$type<'transactional' | 'marketing'>().notNull(),
  idempotencyKey: text('idempotency_key'),
  status: text('status').$type<'sent' | 'failed'>().notNull(),
  messageCount: integer('message_count').notNull().default(1),
  error: text('error'),
  sentAt: ts('sent_at').notNull().defaultNow(),
});
