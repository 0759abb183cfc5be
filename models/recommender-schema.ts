import { doublePrecision, integer, jsonb, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

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
