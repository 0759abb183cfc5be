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
        return await this.db.transaction((tx) => insertArtifact(tx, artifact));
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

/** A field of an artifact whose JSON is longer than about this many characters is written on its own. */
const LARGE_FIELD_CHARS = 1_000_000;

/**
 * One artifact row, written in one transaction. A recommender's JSON is tens of MB, and as one
 * parameter it was held twice at once (the string and pg's message), at the retrain's peak: the
 * small fields go in with the row, and each large one (EASE's neighbour lists: ~11 MB of base64 at
 * 5,000 courses) in its own statement, so at most one large field is held as JSON at a time.
 */
async function insertArtifact(db: Db, artifact: { kind: string; metrics: Record<string, unknown>; data: unknown }): Promise<{ id: string; version: number }> {
  const data = artifact.data;
  const isRecord = typeof data === 'object' && data !== null && !Array.isArray(data);
  const large = isRecord ? Object.keys(data).filter((key) => jsonLength((data as Record<string, unknown>)[key], LARGE_FIELD_CHARS) > LARGE_FIELD_CHARS) : [];
  const first = isRecord && large.length > 0 ? Object.fromEntries(Object.entries(data).filter(([key]) => !large.includes(key))) : data;
  const [row] = await queryRows<{ id: string; version: number }>(
    db,
    sql`insert into model_artifacts (kind, version, metrics, data)
        select ${artifact.kind}, coalesce(max(version), 0) + 1, ${JSON.stringify(artifact.metrics)}::jsonb, ${JSON.stringify(first)}::jsonb
        from model_artifacts where kind = ${artifact.kind}
        returning id, version`,
  );
  for (const key of large) {
    const json = JSON.stringify((data as Record<string, unknown>)[key]);
    if (json !== undefined) await queryRows(db, sql`update model_artifacts set data = data || jsonb_build_object(${key}::text, ${json}::jsonb) where id = ${row!.id}`);
  }
  return { id: row!.id, version: Number(row!.version) };
}

/**
 * About how long a JSON value is, counting no further than `limit`: a string its length, any other
 * value 8 (a stored similarity and its comma). Strings count by length: the neighbour lists are
 * each a few strings of megabytes (base64).
 */
function jsonLength(value: unknown, limit: number): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 8;
  let length = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    length += jsonLength(child, limit - length);
    if (length > limit) break;
  }
  return length;
}
