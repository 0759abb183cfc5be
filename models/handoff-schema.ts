import { boolean, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts-schema.js';
import { courses, followers } from './schema.js';

/* Drizzle definitions of the hand-off tables; the SQL lives in models/migrations/0018_handoffs.sql. */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const handoffs = pgTable(
  'handoffs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    followerId: uuid('follower_id').notNull().references(() => followers.id, { onDelete: 'cascade' }),
    creatorId: uuid('creator_id').references(() => accounts.id, { onDelete: 'set null' }),
    courseId: uuid('course_id').references(() => courses.id, { onDelete: 'set null' }),
    platform: text('platform').$type<'telegram' | 'wechat'>().notNull(),
    chatId: text('chat_id').notNull(),
    reason: text('reason').$type<'asked' | 'not_understood' | 'refund' | 'complaint'>().notNull(),
    status: text('status').$type<'open' | 'answered' | 'closed'>().notNull().default('open'),
    openedAt: ts('opened_at').notNull(),
    waitingSince: ts('waiting_since'),
    firstResponseAt: ts('first_response_at'),
    lastActivityAt: ts('last_activity_at').notNull(),
    isNoticeSent: boolean('is_notice_sent').notNull().default(false),
    closedAt: ts('closed_at'),
    closedBy: text('closed_by'),
  },
  (t) => [index('handoffs_inbox_idx').on(t.status, t.waitingSince, t.lastActivityAt)],
);

export const handoffMessages = pgTable(
  'handoff_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    handoffId: uuid('handoff_id').notNull().references(() => handoffs.id, { onDelete: 'cascade' }),
    clientKey: text('client_key').notNull(),
    author: text('author').notNull(),
    text: text('text').notNull(),
    status: text('status').$type<'sending' | 'sent' | 'failed'>().notNull().default('sending'),
    error: text('error'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
  },
  (t) => [unique().on(t.handoffId, t.clientKey)],
);
