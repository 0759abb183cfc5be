import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/* Drizzle definitions of the tables in models/migrations/0003_wechat.sql and 0027. */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const mpPayNotifications = pgTable('mp_pay_notifications', {
  nonce: text('nonce').primaryKey(),
  notificationId: text('notification_id').notNull(),
  orderId: uuid('order_id'),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

/* models/migrations/0027_mp_session_keys.sql */
export const mpSessionKeys = pgTable('mp_session_keys', {
  openId: text('open_id').primaryKey(),
  followerId: uuid('follower_id').notNull(),
  sessionKey: text('session_key').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
