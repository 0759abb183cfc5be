import { bigint, boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/* Drizzle definitions of the tables created by migrations/0004_campaigns.sql; keep the two in step. */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const campaigns = pgTable('campaigns', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  status: text('status').notNull(),
  segment: jsonb('segment').$type<Record<string, unknown>>().notNull(),
  variants: jsonb('variants').$type<unknown[]>().notNull(),
  allocation: text('allocation').notNull(),
  sendMode: text('send_mode').notNull(),
  sendAt: ts('send_at'),
  localDate: text('local_date'),
  localTime: text('local_time'),
  attributionHours: integer('attribution_hours').notNull(),
  audienceSize: integer('audience_size'),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  enqueuedAt: ts('enqueued_at'),
  completedAt: ts('completed_at'),
});

export const retargetingRules = pgTable('retargeting_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  trigger: text('trigger').notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull(),
  variants: jsonb('variants').$type<unknown[]>().notNull(),
  allocation: text('allocation').notNull(),
  delayMinutes: integer('delay_minutes').notNull(),
  maxPerFollower: integer('max_per_follower').notNull(),
  isEnabled: boolean('is_enabled').notNull(),
  conversionGoal: text('conversion_goal').notNull(),
  attributionHours: integer('attribution_hours').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const outbox = pgTable('outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  followerId: uuid('follower_id').notNull(),
  source: text('source').notNull(),
  campaignId: uuid('campaign_id').notNull(),
  step: text('step').notNull(),
  variant: text('variant'),
  courseId: uuid('course_id'),
  status: text('status').notNull(),
  skipReason: text('skip_reason'),
  heldReason: text('held_reason'),
  notBefore: ts('not_before').notNull(),
  leaseUntil: ts('lease_until'),
  attempts: integer('attempts').notNull(),
  lastError: text('last_error'),
  providerMessageIds: text('provider_message_ids').array().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  sentAt: ts('sent_at'),
  /** Why the message is sent (a cross-sell offer's association rule), added by migrations/0008_cross_sell_reasons.sql. */
  reason: jsonb('reason'),
});

export const capCounters = pgTable(
  'cap_counters',
  { followerId: uuid('follower_id').notNull(), periodKey: text('period_key').notNull(), used: integer('used').notNull() },
  (t) => [primaryKey({ columns: [t.followerId, t.periodKey] })],
);

export const capClaims = pgTable('cap_claims', {
  outboxId: bigint('outbox_id', { mode: 'number' }).primaryKey(),
  followerId: uuid('follower_id').notNull(),
  dayKey: text('day_key').notNull(),
  weekKey: text('week_key').notNull(),
  claimedAt: ts('claimed_at').notNull().defaultNow(),
});

export const guardSettings = pgTable('guard_settings', {
  id: integer('id').primaryKey(),
  dailyCap: integer('daily_cap').notNull(),
  weeklyCap: integer('weekly_cap').notNull(),
  quietStart: text('quiet_start').notNull(),
  quietEnd: text('quiet_end').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const followerSegments = pgTable('follower_segments', {
  followerId: uuid('follower_id').primaryKey(),
  lifecycle: text('lifecycle').notNull(),
  interestTags: text('interest_tags').array().notNull(),
  refreshedAt: ts('refreshed_at').notNull(),
});

export const schedules = pgTable('schedules', {
  name: text('name').primaryKey(),
  cron: text('cron').notNull(),
  timeZone: text('time_zone').notNull(),
  isEnabled: boolean('is_enabled').notNull(),
  description: text('description').notNull(),
  lastFiredAt: ts('last_fired_at'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const scheduleRuns = pgTable('schedule_runs', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  trigger: text('trigger').notNull(),
  tickAt: ts('tick_at').notNull(),
  instance: text('instance').notNull(),
  startedAt: ts('started_at').notNull(),
  finishedAt: ts('finished_at'),
  durationMs: integer('duration_ms'),
  outcome: text('outcome').notNull(),
  error: text('error'),
  result: jsonb('result').$type<Record<string, unknown>>().notNull(),
});
