import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { SendStatus } from '../core/index.js';
import { followers } from './schema.js';

/* Drizzle definitions for models/migrations/0002_telegram.sql; keep the two in step. */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Every outbound send on any platform (Telegram and WeChat alike): one row per Messenger.send call. */
export const sends = pgTable(
  'sends',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    platform: text('platform').notNull(),
    followerId: uuid('follower_id').references(() => followers.id, { onDelete: 'set null' }),
    chatId: text('chat_id').notNull(),
    purpose: text('purpose').$type<'transactional' | 'marketing'>().notNull(),
    idempotencyKey: text('idempotency_key'),
    status: text('status').$type<SendStatus>().notNull().default('sending'),
    replyCount: integer('reply_count').notNull(),
    providerMessageIds: text('provider_message_ids').array().notNull().default(sql`'{}'`),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    uniqueIndex('sends_platform_idempotency_key').on(t.platform, t.idempotencyKey).where(sql`idempotency_key IS NOT NULL`),
    index('sends_follower_time_idx').on(t.followerId, t.createdAt),
    index('sends_status_time_idx').on(t.status, t.createdAt),
  ],
);

/** Telegram update_ids already taken for processing, so a redelivered update is handled once. */
export const telegramProcessedUpdates = pgTable(
  'telegram_processed_updates',
  {
    botId: text('bot_id').notNull(),
    updateId: bigint('update_id', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.botId, t.updateId] }), index('telegram_processed_updates_time_idx').on(t.receivedAt)],
);
