import { doublePrecision, integer, jsonb, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { RecommenderVariant } from '../core/experiments/index.js';

/** Trained model versions (models/migrations/0005_recommender.sql). */
export const modelArtifacts = pgTable(
  'model_artifacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull().default({}),
    data: jsonb('data').$type<unknown>().notNull(),
  },
  (t) => [unique('model_artifacts_kind_version_key').on(t.kind, t.version)],
);

/** Purchase propensity and churn risk per follower, from the last scoring run (models/migrations/0023_propensity.sql). */
export const followerScores = pgTable('follower_scores', {
  followerId: uuid('follower_id').primaryKey(),
  purchasePropensity: doublePrecision('purchase_propensity').notNull(),
  purchaseTopPercent: smallint('purchase_top_percent').notNull(),
  churnRisk: doublePrecision('churn_risk').notNull(),
  churnBand: text('churn_band').notNull(),
  horizonDays: smallint('horizon_days').notNull(),
  modelVersion: integer('model_version').notNull(),
  scoredAt: timestamp('scored_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Experiments on recommender configurations (models/migrations/0030_recommender_experiments.sql). */
export const recommenderExperiments = pgTable('recommender_experiments', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  status: text('status').notNull().default('draft'),
  variants: jsonb('variants').$type<RecommenderVariant[]>().notNull(),
  attributionHours: integer('attribution_hours').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
  stoppedAt: timestamp('stopped_at', { withTimezone: true, mode: 'date' }),
});

/** Lists shown to followers in an experiment (models/migrations/0031_recommender_exposures.sql). */
export const recommenderExposures = pgTable('recommender_exposures', {
  listId: uuid('list_id').primaryKey(),
  experimentId: uuid('experiment_id').notNull(),
  variant: text('variant').notNull(),
  followerId: uuid('follower_id').notNull(),
  courseIds: uuid('course_ids').array().notNull(),
  channel: text('channel').notNull(),
  exposedAt: timestamp('exposed_at', { withTimezone: true, mode: 'date' }).notNull(),
});
