import { sql } from 'drizzle-orm';
import type { CapBatchLedger, GuardSettingsRepository } from '../../core/campaigns/index.js';
import type { CapClaim, GuardSettings } from '../../core/guards/index.js';
import { queryRows, type Db } from '../database.js';
import { pgArray } from './pg-sql.js';

/**
 * Frequency caps in the database: `claim_cap_slots` (migration 0007) records the claims of a whole
 * batch and takes each message's daily and weekly slot under row locks on the counters, or
 * neither, in one statement.
 */
export class PgCapLedger implements CapBatchLedger {
  constructor(private readonly db: Db) {}

  async claimMany(claims: readonly CapClaim[]): Promise<Set<number>> {
    const granted = new Set<number>();
    // One statement per distinct pair of caps; a batch read the settings once, so that is one.
    for (const group of groupByCaps(claims)) {
      const [first] = group;
      if (!first || first.dailyCap <= 0 || first.weeklyCap <= 0) continue;
      const rows = await queryRows<{ id: string | number }>(
        this.db,
        sql`SELECT claim_cap_slots(${pgArray(group.map((c) => String(c.outboxId)))}::bigint[], ${pgArray(group.map((c) => c.followerId))}::uuid[],
                                   ${pgArray(group.map((c) => c.dayKey))}::text[], ${pgArray(group.map((c) => c.weekKey))}::text[],
                                   ${first.dailyCap}::int, ${first.weeklyCap}::int) AS id`,
      );
      for (const row of rows) granted.add(Number(row.id));
    }
    return granted;
  }
}

function groupByCaps(claims: readonly CapClaim[]): CapClaim[][] {
  const groups = new Map<string, CapClaim[]>();
  for (const claim of claims) {
    const key = `${claim.dailyCap}/${claim.weeklyCap}`;
    const group = groups.get(key);
    if (group) group.push(claim);
    else groups.set(key, [claim]);
  }
  return [...groups.values()];
}

/** The one row of admin-tunable guard settings. */
export class PgGuardSettings implements GuardSettingsRepository {
  constructor(private readonly db: Db) {}

  async get(): Promise<GuardSettings> {
    const [row] = await queryRows<{ daily_cap: number; weekly_cap: number; quiet_start: string; quiet_end: string; control_percent: number }>(
      this.db,
      sql`SELECT daily_cap, weekly_cap, quiet_start, quiet_end, control_percent FROM guard_settings WHERE id = 1`,
    );
    if (!row) throw new Error('guard_settings row is missing; run the migrations');
    return { dailyCap: row.daily_cap, weeklyCap: row.weekly_cap, quietHours: { start: row.quiet_start, end: row.quiet_end }, controlPercent: row.control_percent };
  }

  async update(s: Omit<GuardSettings, 'controlPercent'> & { controlPercent?: number }): Promise<GuardSettings> {
    await this.db.execute(
      sql`UPDATE guard_settings SET daily_cap = ${s.dailyCap}, weekly_cap = ${s.weeklyCap}, quiet_start = ${s.quietHours.start}, quiet_end = ${s.quietHours.end},
          control_percent = coalesce(${s.controlPercent ?? null}::smallint, control_percent), updated_at = now() WHERE id = 1`,
    );
    return this.get();
  }
}
