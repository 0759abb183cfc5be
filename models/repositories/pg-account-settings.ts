import { eq, sql } from 'drizzle-orm';
import type { GuardSettings, SettingsRepository } from '../../core/index.js';
import { settings } from '../accounts-schema.js';
import { queryRows, type Db } from '../database.js';

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

  async getGuards(): Promise<GuardSettings> {
    const [row] = await queryRows<{ daily_cap: number; weekly_cap: number; quiet_start: string; quiet_end: string }>(
      this.db,
      sql`select daily_cap, weekly_cap, quiet_start, quiet_end from guard_settings where id = 1`,
    );
    return row
      ? { dailyCap: row.daily_cap, weeklyCap: row.weekly_cap, quietStart: row.quiet_start, quietEnd: row.quiet_end }
      : { dailyCap: 2, weeklyCap: 5, quietStart: '21:00', quietEnd: '09:00' };
  }

  async putGuards(guards: GuardSettings): Promise<void> {
    await this.db.execute(sql`
      insert into guard_settings (id, daily_cap, weekly_cap, quiet_start, quiet_end, updated_at)
      values (1, ${guards.dailyCap}, ${guards.weeklyCap}, ${guards.quietStart}, ${guards.quietEnd}, now())
      on conflict (id) do update set daily_cap = excluded.daily_cap, weekly_cap = excluded.weekly_cap,
        quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, updated_at = now()`);
  }
}
