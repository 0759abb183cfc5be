import { sql } from 'drizzle-orm';
import type { GuardSettingsRepository } from '../../core/campaigns/index.js';
import type { CapLedger, GuardSettings } from '../../core/guards/index.js';
import { queryRows, type Db } from '../database.js';

/**
 * Frequency caps in the database: `claim_cap_slot` (migration 0004) records the claim for this
 * message and takes a daily and a weekly slot under row locks on the two counters, or neither, in
 * one statement — one round trip and one commit per message.
 */
export class PgCapLedger implements CapLedger {
  constructor(private readonly db: Db) {}

  async claim(input: { outboxId: number; followerId: string; dayKey: string; weekKey: string; dailyCap: number; weeklyCap: number }): Promise<boolean> {
    if (input.dailyCap <= 0 || input.weeklyCap <= 0) return false;
    const [row] = await queryRows<{ ok: boolean }>(
      this.db,
      sql`SELECT claim_cap_slot(${input.outboxId}::bigint, ${input.followerId}::uuid, ${input.dayKey}, ${input.weekKey}, ${input.dailyCap}::int, ${input.weeklyCap}::int) AS ok`,
    );
    return row?.ok === true;
  }
}

/** The one row of admin-tunable guard settings. */
export class PgGuardSettings implements GuardSettingsRepository {
  constructor(private readonly db: Db) {}

  async get(): Promise<GuardSettings> {
    const [row] = await queryRows<{ daily_cap: number; weekly_cap: number; quiet_start: string; quiet_end: string }>(
      this.db,
      sql`SELECT daily_cap, weekly_cap, quiet_start, quiet_end FROM guard_settings WHERE id = 1`,
    );
    if (!row) throw new Error('guard_settings row is missing; run the migrations');
    return { dailyCap: row.daily_cap, weeklyCap: row.weekly_cap, quietHours: { start: row.quiet_start, end: row.quiet_end } };
  }

  async update(s: GuardSettings): Promise<GuardSettings> {
    await this.db.execute(
      sql`UPDATE guard_settings SET daily_cap = ${s.dailyCap}, weekly_cap = ${s.weeklyCap}, quiet_start = ${s.quietHours.start}, quiet_end = ${s.quietHours.end}, updated_at = now() WHERE id = 1`,
    );
    return this.get();
  }
}
