import { eq } from 'drizzle-orm';
import type { SettingsRepository } from '../../core/index.js';
import { settings } from '../accounts-schema.js';
import type { Db } from '../database.js';

export class PgSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<unknown> {
    const [row] = await this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
    return row?.value;
  }

  async getAll(): Promise<Record<string, { value: unknown; updatedAt: Date; updatedBy: string | null }>> {
    const rows = await this.db.select().from(settings);
    return Object.fromEntries(rows.map((r) => [r.key, { value: r.value, updatedAt: r.updatedAt, updatedBy: r.updatedBy }]));
  }

  async put(key: string, value: unknown, actor: string): Promise<void> {
    const now = new Date();
    await this.db
      .insert(settings)
      .values({ key, value, updatedAt: now, updatedBy: actor })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now, updatedBy: actor } });
  }
}
