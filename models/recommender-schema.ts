import { integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

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
