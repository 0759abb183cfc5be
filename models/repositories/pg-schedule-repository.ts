import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.js';
import { toDate, toDateOrNull, tsParam } from './pg-sql.js';

export interface ScheduleRecord {
  name: string;
  cron: string;
  timeZone: string;
  isEnabled: boolean;
  description: string;
  lastFiredAt: Date | null;
  updatedAt: Date;
}

export type RunOutcome = 'running' | 'ok' | 'error' | 'not_available';

export interface ScheduleRun {
  id: number;
  name: string;
  trigger: 'cron' | 'manual';
  tickAt: Date;
  instance: string;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  outcome: RunOutcome;
  error: string | null;
  result: Record<string, unknown>;
}

interface ScheduleRow {
  name: string;
  cron: string;
  time_zone: string;
  is_enabled: boolean;
  description: string;
  last_fired_at: unknown;
  updated_at: unknown;
}

interface RunRow {
  id: string | number;
  name: string;
  trigger: 'cron' | 'manual';
  tick_at: unknown;
  instance: string;
  started_at: unknown;
  finished_at: unknown;
  duration_ms: number | null;
  outcome: RunOutcome;
  error: string | null;
  result: Record<string, unknown>;
}

const toSchedule = (r: ScheduleRow): ScheduleRecord => ({
  name: r.name,
  cron: r.cron,
  timeZone: r.time_zone,
  isEnabled: r.is_enabled,
  description: r.description,
  lastFiredAt: toDateOrNull(r.last_fired_at),
  updatedAt: toDate(r.updated_at),
});

const toRun = (r: RunRow): ScheduleRun => ({
  id: Number(r.id),
  name: r.name,
  trigger: r.trigger,
  tickAt: toDate(r.tick_at),
  instance: r.instance,
  startedAt: toDate(r.started_at),
  finishedAt: toDateOrNull(r.finished_at),
  durationMs: r.duration_ms,
  outcome: r.outcome,
  error: r.error,
  result: r.result,
});

/** Cron schedules stored in the database, the per-tick lease, and run history. */
export class PgScheduleRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<ScheduleRecord[]> {
    return (await queryRows<ScheduleRow>(this.db, sql`SELECT * FROM schedules ORDER BY name`)).map(toSchedule);
  }

  async get(name: string): Promise<ScheduleRecord | null> {
    const [row] = await queryRows<ScheduleRow>(this.db, sql`SELECT * FROM schedules WHERE name = ${name}`);
    return row ? toSchedule(row) : null;
  }

  /** Adds a schedule when missing (keeps an existing one's edited cron); returns it. */
  async ensure(name: string, defaults: { cron: string; timeZone: string; description: string; isEnabled?: boolean }): Promise<ScheduleRecord> {
    await this.db.execute(
      sql`INSERT INTO schedules (name, cron, time_zone, description, is_enabled) VALUES (${name}, ${defaults.cron}, ${defaults.timeZone}, ${defaults.description}, ${defaults.isEnabled ?? true})
          ON CONFLICT (name) DO NOTHING`,
    );
    return (await this.get(name))!;
  }

  async update(name: string, patch: { cron?: string; timeZone?: string; isEnabled?: boolean }): Promise<ScheduleRecord | null> {
    const [row] = await queryRows<ScheduleRow>(
      this.db,
      sql`UPDATE schedules SET cron = coalesce(${patch.cron ?? null}::text, cron), time_zone = coalesce(${patch.timeZone ?? null}::text, time_zone),
                 is_enabled = coalesce(${patch.isEnabled ?? null}::boolean, is_enabled), updated_at = clock_timestamp()
          WHERE name = ${name} RETURNING *`,
    );
    return row ? toSchedule(row) : null;
  }

  /**
   * The lease: moves `last_fired_at` to this tick only if no instance has fired it (or a later one)
   * yet. Exactly one of N instances racing on the same tick gets `true`.
   */
  async claimTick(name: string, tick: Date): Promise<boolean> {
    const rows = await queryRows<{ name: string }>(
      this.db,
      sql`UPDATE schedules SET last_fired_at = ${tsParam(tick)}
          WHERE name = ${name} AND is_enabled AND (last_fired_at IS NULL OR last_fired_at < ${tsParam(tick)}) RETURNING name`,
    );
    return rows.length > 0;
  }

  async startRun(run: { name: string; trigger: 'cron' | 'manual'; tickAt: Date; instance: string; startedAt: Date }): Promise<number> {
    const [row] = await queryRows<{ id: string | number }>(
      this.db,
      sql`INSERT INTO schedule_runs (name, trigger, tick_at, instance, started_at) VALUES (${run.name}, ${run.trigger}, ${tsParam(run.tickAt)}, ${run.instance}, ${tsParam(run.startedAt)})
          RETURNING id`,
    );
    return Number(row!.id);
  }

  async finishRun(id: number, end: { outcome: Exclude<RunOutcome, 'running'>; error: string | null; result: Record<string, unknown>; finishedAt: Date; durationMs: number }): Promise<ScheduleRun> {
    const [row] = await queryRows<RunRow>(
      this.db,
      sql`UPDATE schedule_runs SET outcome = ${end.outcome}, error = ${end.error}, result = ${JSON.stringify(end.result)}::jsonb,
                 finished_at = ${tsParam(end.finishedAt)}, duration_ms = ${Math.round(end.durationMs)}
          WHERE id = ${id} RETURNING *`,
    );
    return toRun(row!);
  }

  async listRuns(name: string, limit: number): Promise<ScheduleRun[]> {
    return (await queryRows<RunRow>(this.db, sql`SELECT * FROM schedule_runs WHERE name = ${name} ORDER BY started_at DESC, id DESC LIMIT ${limit}`)).map(toRun);
  }
}
