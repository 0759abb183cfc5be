import { sql } from 'drizzle-orm';
import type { SettingsRepository } from '../../core/index.js';
import { queryRows, type Db } from '../database.js';
import { toDate, tsParam, type PgTimestamp } from './pg-sql.js';

export class PgSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<unknown> {
    const [row] = await queryRows<{ value: unknown }>(this.db, sql`SELECT value FROM settings WHERE key = ${key}`);
    return row?.value;
  }

  async getAll(): Promise<Record<string, { value: unknown; updatedAt: Date; updatedBy: string | null }>> {
    const rows = await queryRows<{ key: string; value: unknown; updated_at: PgTimestamp; updated_by: string | null }>(
      this.db,
      sql`SELECT key, value, updated_at, updated_by FROM settings`,
    );
    return Object.fromEntries(rows.map((r) => [r.key, { value: r.value, updatedAt: toDate(r.updated_at), updatedBy: r.updated_by }]));
  }

  async put(key: string, value: unknown, actor: string): Promise<void> {
    const now = tsParam(new Date());
    await queryRows(
      this.db,
      sql`INSERT INTO settings (key, value, updated_at, updated_by) VALUES (${key}, ${JSON.stringify(value)}::jsonb, ${now}, ${actor})
          ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
  }
}
