import { sql } from 'drizzle-orm';
import type { ModelArtifact, ModelArtifactRepository } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, type PgTimestamp } from './pg-sql.js';

/**
 * Trained models as JSON rows, one version per retrain.
 *
 * @example
 * const artifacts = new PgModelArtifactRepository(database.db);
 */
export class PgModelArtifactRepository implements ModelArtifactRepository {
  constructor(private readonly db: Db) {}

  async save(artifact: { kind: string; metrics: Record<string, unknown>; data: unknown }): Promise<{ id: string; version: number }> {
    // The next version is computed in the INSERT itself; the unique (kind, version) key makes a
    // concurrent retrain fail loudly instead of overwriting, and one retry then takes the next number.
    for (let attempt = 0; ; attempt++) {
      try {
        const [row] = await queryRows<{ id: string; version: number }>(
          this.db,
          sql`insert into model_artifacts (kind, version, metrics, data)
              select ${artifact.kind}, coalesce(max(version), 0) + 1, ${JSON.stringify(artifact.metrics)}::jsonb, ${JSON.stringify(artifact.data)}::jsonb
              from model_artifacts where kind = ${artifact.kind}
              returning id, version`,
        );
        return { id: row!.id, version: Number(row!.version) };
      } catch (error) {
        if (attempt >= 1) throw error;
      }
    }
  }

  async latest(kind: string): Promise<ModelArtifact | null> {
    const [row] = await queryRows<{ id: string; kind: string; version: number; created_at: PgTimestamp; metrics: Record<string, unknown>; data: unknown }>(
      this.db,
      sql`select id, kind, version, created_at, metrics, data from model_artifacts where kind = ${kind} order by version desc limit 1`,
    );
    return row ? { id: row.id, kind: row.kind, version: row.version, createdAt: toDate(row.created_at), metrics: row.metrics, data: row.data } : null;
  }

  async latestVersion(kind: string): Promise<number | null> {
    const [row] = await queryRows<{ version: number }>(this.db, sql`select version from model_artifacts where kind = ${kind} order by version desc limit 1`);
    return row?.version ?? null;
  }
}
