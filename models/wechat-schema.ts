import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/* Drizzle definitions of the tables in models/migrations/0003_wechat.sql. */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const mpPayNotifications = pgTable('mp_pay_notifications', {
  nonce: text('nonce').primaryKey(),
  notificationId: text('notification_id').notNull(),
  orderId: uuid('order_id'),
  receivedAt: ts('received_at').notNull().defaultNow(),
});
