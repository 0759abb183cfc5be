import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/*
 * Drizzle schema as code. The SQL that creates these tables lives in models/migrations/*.sql,
 * applied in order by models/migrate.ts; keep the two in step (test/integration/schema.test.ts
 * checks every column of every *-schema.ts file against the migrated database: name, nullability
 * and type). Repositories mostly use typed raw SQL (queryRows/queryPrepared); tables they alone
 * use need no Drizzle declaration.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const followers = pgTable('followers', {
  id: uuid('id').primaryKey().defaultRandom(),
  displayName: text('display_name'),
  locale: text('locale').$type<'zh-CN' | 'en'>().notNull().default('zh-CN'),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  hasMarketingConsent: boolean('has_marketing_consent').notNull().default(false),
  marketingConsentAt: ts('marketing_consent_at'),
  hasPersonalizationConsent: boolean('has_personalization_consent').notNull().default(true),
  isOptedOut: boolean('is_opted_out').notNull().default(false),
  isReachable: boolean('is_reachable').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  lastSeenAt: ts('last_seen_at'),
  inHandoffSince: ts('in_handoff_since'),
});

export const identities = pgTable(
  'identities',
  {
    kind: text('kind').notNull(),
    externalId: text('external_id').notNull(),
    followerId: uuid('follower_id').notNull().references(() => followers.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.externalId] }), index('identities_follower_idx').on(t.followerId)],
);

export const courses = pgTable('courses', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  titleZh: text('title_zh').notNull(),
  titleEn: text('title_en').notNull(),
  descriptionZh: text('description_zh').notNull().default(''),
  descriptionEn: text('description_en').notNull().default(''),
  tags: text('tags').array().notNull().default(sql`'{}'`),
  priceMinor: integer('price_minor').notNull(),
  currency: text('currency').notNull().default('CNY'),
  priceStars: integer('price_stars'),
  status: text('status').notNull().default('draft'),
  creatorId: uuid('creator_id'),
  coverUrl: text('cover_url'),
  teacherName: text('teacher_name').notNull().default(''),
  pacing: text('pacing').notNull().default('self_paced'),
  dripEveryDays: integer('drip_every_days'),
  cohortStartsAt: ts('cohort_starts_at'),
  enrolmentClosesAt: ts('enrolment_closes_at'),
  telegramChatId: text('telegram_chat_id'),
  /** The course that comes after this one in its path (pick `next_in_path`). */
  nextCourseId: uuid('next_course_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const courseChapters = pgTable('course_chapters', {
  id: uuid('id').primaryKey().defaultRandom(),
  courseId: uuid('course_id').notNull().references(() => courses.id, { onDelete: 'cascade' }),
  titleZh: text('title_zh').notNull(),
  titleEn: text('title_en').notNull(),
  position: integer('position').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const courseLessons = pgTable('course_lessons', {
  id: uuid('id').primaryKey().defaultRandom(),
  chapterId: uuid('chapter_id').notNull().references(() => courseChapters.id, { onDelete: 'cascade' }),
  courseId: uuid('course_id').notNull().references(() => courses.id, { onDelete: 'cascade' }),
  titleZh: text('title_zh').notNull(),
  titleEn: text('title_en').notNull(),
  bodyZh: text('body_zh').notNull().default(''),
  bodyEn: text('body_en').notNull().default(''),
  mediaKind: text('media_kind'),
  mediaUrl: text('media_url'),
  attachmentRef: text('attachment_ref'),
  estimatedMinutes: integer('estimated_minutes'),
  isFreePreview: boolean('is_free_preview').notNull().default(false),
  position: integer('position').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    followerId: uuid('follower_id').notNull().references(() => followers.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    courseId: uuid('course_id').references(() => courses.id),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    terms: text('terms').array().notNull().default(sql`'{}'`),
    occurredAt: ts('occurred_at').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [unique('events_platform_external_id_key').on(t.platform, t.externalId), index('events_follower_time_idx').on(t.followerId, t.occurredAt)],
);

export const orders = pgTable('orders', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Null once the follower is erased: the order stays, anonymised, for accounting. */
  followerId: uuid('follower_id').references(() => followers.id, { onDelete: 'set null' }),
  courseId: uuid('course_id').notNull().references(() => courses.id),
  amountMinor: integer('amount_minor').notNull(),
  currency: text('currency').notNull(),
  provider: text('provider').notNull(),
  status: text('status').notNull().default('pending'),
  providerChargeId: text('provider_charge_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  paidAt: ts('paid_at'),
  refundedAt: ts('refunded_at'),
  /** The coupon this order used (0020_commerce.sql); the price before it in `originalAmountMinor`. */
  couponId: uuid('coupon_id'),
  originalAmountMinor: integer('original_amount_minor'),
});

export const entitlements = pgTable(
  'entitlements',
  {
    followerId: uuid('follower_id').notNull().references(() => followers.id, { onDelete: 'cascade' }),
    courseId: uuid('course_id').notNull().references(() => courses.id),
    orderId: uuid('order_id').references(() => orders.id),
    grantedAt: ts('granted_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [primaryKey({ columns: [t.followerId, t.courseId] })],
);

export const auditLog = pgTable('audit_log', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: text('subject_id'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  at: ts('at').notNull().defaultNow(),
});
