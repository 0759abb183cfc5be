import { sql } from 'drizzle-orm';
import type { GuardSettingsRepository } from '../../core/campaigns/index.js';
import type { CapLedger, GuardSettings } from '../../core/guards/index.js';
import { queryRows, type Db } from '../database.js';

class CapExceeded extends Error {}

/**
 * Frequency caps in the database. One transaction records the claim for this message, then takes a
 * daily and a weekly slot with conditional upserts (`… DO UPDATE … WHERE used < cap`) whose row
 * locks serialise concurrent claims for one follower; if either is full the whole claim rolls back.
 */
export class PgCapLedger implements CapLedger {
  constructor(private readonly db: Db) {}

  async claim(input: { outboxId: number; followerId: string; dayKey: string; weekKey: string; dailyCap: number; weeklyCap: number }): Promise<boolean> {
    if (input.dailyCap <= 0 || input.weeklyCap <= 0) return false;
    try {
      return await this.db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const fresh = await queryRows<{ outbox_id: string }>(
          t,
          sql`INSERT INTO cap_claims (outbox_id, follower_id, day_key, week_key) VALUES (${input.outboxId}, ${input.followerId}::uuid, ${input.dayKey}, ${input.weekKey})
              ON CONFLICT (outbox_id) DO NOTHING RETURNING outbox_id`,
        );
        // A retry of a message that already holds its slots keeps them.
        if (fresh.length === 0) return true;
        for (const [key, cap] of [[`d:${input.dayKey}`, input.dailyCap], [`w:${input.weekKey}`, input.weeklyCap]] as const) {
          const taken = await queryRows<{ used: number }>(
            t,
            sql`INSERT INTO cap_counters (follower_id, period_key, used) VALUES (${input.followerId}::uuid, ${key}, 1)
                ON CONFLICT (follower_id, period_key) DO UPDATE SET used = cap_counters.used + 1 WHERE cap_counters.used < ${cap}
                RETURNING used`,
          );
          if (taken.length === 0) throw new CapExceeded();
        }
        return true;
      });
    } catch (error) {
      if (error instanceof CapExceeded) return false;
      throw error;
    }
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
