import cron, { type ScheduledTask } from 'node-cron';
import type { Clock, Logger } from '../core/index.js';
import type { PgScheduleRepository, ScheduleRecord, ScheduleRun } from '../models/repositories/pg-campaign-repositories.js';
import type { JobDefinition } from './job-types.js';
import { isKnownTimeZone, latestRunTime } from './schedule-validation.js';

export interface CronSchedulerDeps {
  schedules: PgScheduleRepository;
  jobs: readonly JobDefinition[];
  logger: Logger;
  clock: Clock;
  /** Names this process in run history. */
  instanceId: string;
  /** How often schedules are re-read, so edits made by any process take effect without a restart. */
  reloadIntervalMs: number;
  /** Called on every failed run or reload (metrics). */
  onError?: (job: string, error: unknown) => void;
}

/**
 * Fires jobs on node-cron from schedules stored in the database. Every tick first claims the
 * lease (a conditional update of `last_fired_at`), so N instances fire each tick once; each run is
 * recorded with duration, outcome and error. Schedules are re-read every `reloadIntervalMs` (and
 * at once through `reload()`), and a changed cron, zone or enabled flag replaces the task.
 *
 * Missed ticks run once (pg-boss's `missed: once`): a tick that fell while the database was down
 * (its lease could not be claimed) or while no process ran is caught up at the next successful
 * reload — at start, or within `reloadIntervalMs` of the database coming back. Only the latest
 * missed tick runs, once across instances (it is claimed like any tick), as trigger `cron` with
 * that tick's time; a schedule that never fired (`last_fired_at` null) has nothing to catch up.
 *
 * @example
 * const scheduler = new CronScheduler({ schedules, jobs, logger, clock, instanceId: 'worker-1', reloadIntervalMs: 5000 });
 * await scheduler.start();
 */
export class CronScheduler {
  private readonly tasks = new Map<string, { signature: string; task: ScheduledTask }>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private reloadTimer: NodeJS.Timeout | undefined;
  private isStopped = false;
  private reloading: Promise<void> | undefined;

  constructor(private readonly deps: CronSchedulerDeps) {}

  async start(): Promise<void> {
    for (const job of this.deps.jobs) {
      await this.deps.schedules.ensure(job.name, { cron: job.defaultCron, timeZone: job.defaultTimeZone, description: job.description });
    }
    await this.reload();
    this.reloadTimer = setInterval(() => {
      this.reload().catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'reloading schedules failed');
        this.deps.onError?.('scheduler', error);
      });
    }, this.deps.reloadIntervalMs);
    this.reloadTimer.unref();
  }

  /** Re-reads schedules and replaces tasks whose cron, zone or enabled flag changed. */
  async reload(): Promise<void> {
    if (this.reloading) return this.reloading;
    this.reloading = this.doReload().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async doReload(): Promise<void> {
    if (this.isStopped) return;
    const records = new Map((await this.deps.schedules.list()).map((s) => [s.name, s]));
    for (const job of this.deps.jobs) {
      const record = records.get(job.name);
      const signature = record ? `${record.cron}|${record.timeZone}|${record.isEnabled}` : 'missing';
      const current = this.tasks.get(job.name);
      if (current?.signature === signature) continue;
      if (current) await current.task.destroy();
      this.tasks.delete(job.name);
      if (!record || !record.isEnabled) continue;
      const task = this.createTask(job, record);
      if (task) this.tasks.set(job.name, { signature, task });
      this.deps.logger.info({ job: job.name, cron: record.cron, timeZone: record.timeZone }, current ? 'schedule changed; task replaced' : 'job scheduled');
    }
    for (const job of this.deps.jobs) {
      const record = records.get(job.name);
      if (record && this.tasks.has(job.name)) this.catchUp(job, record);
    }
  }

  /** Runs the latest tick the schedule should have fired but did not (see the class comment). */
  private catchUp(job: JobDefinition, record: ScheduleRecord): void {
    if (!record.lastFiredAt) return;
    const latest = latestRunTime(record.cron, record.timeZone, this.deps.clock.now());
    if (latest <= record.lastFiredAt) return;
    this.deps.logger.warn({ job: job.name, tick: latest, lastFiredAt: record.lastFiredAt }, 'missed cron tick; running it once now');
    this.track(this.fireTick(job, latest));
  }

  private createTask(job: JobDefinition, record: ScheduleRecord): ScheduledTask | undefined {
    if (!cron.validate(record.cron) || !isKnownTimeZone(record.timeZone)) {
      this.deps.logger.error({ job: job.name, cron: record.cron, timeZone: record.timeZone }, 'stored schedule is invalid; job not scheduled');
      return undefined;
    }
    return cron.schedule(
      record.cron,
      (context) => {
        // The tick is the scheduled second, the same in every instance, so it names the lease.
        const tick = new Date(Math.floor(context.date.getTime() / 1000) * 1000);
        this.track(this.fireTick(job, tick));
      },
      { timezone: record.timeZone, name: `zhiliao:${job.name}`, suppressMissedWarning: true },
    );
  }

  private async fireTick(job: JobDefinition, tick: Date): Promise<void> {
    if (this.isStopped) return;
    try {
      if (!(await this.deps.schedules.claimTick(job.name, tick))) return;
      await this.execute(job, 'cron', tick);
    } catch (error) {
      this.deps.logger.error({ err: error, job: job.name }, 'cron tick failed');
      this.deps.onError?.(job.name, error);
    }
  }

  /** Runs a job now, outside its schedule ("run now"), and returns the recorded run. */
  async runNow(name: string): Promise<ScheduleRun | null> {
    const job = this.deps.jobs.find((j) => j.name === name);
    if (!job) return null;
    return this.track(this.execute(job, 'manual', this.deps.clock.now()));
  }

  private async execute(job: JobDefinition, trigger: 'cron' | 'manual', tick: Date): Promise<ScheduleRun> {
    const startedAt = this.deps.clock.now();
    const started = performance.now();
    const runId = await this.deps.schedules.startRun({ name: job.name, trigger, tickAt: tick, instance: this.deps.instanceId, startedAt });
    try {
      const { outcome, result } = await job.run({ tick, trigger });
      const run = await this.deps.schedules.finishRun(runId, { outcome, error: null, result, finishedAt: this.deps.clock.now(), durationMs: performance.now() - started });
      this.deps.logger.info({ job: job.name, trigger, outcome, durationMs: run.durationMs }, 'job finished');
      return run;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.logger.error({ err: error, job: job.name, trigger }, 'job failed');
      this.deps.onError?.(job.name, error);
      return this.deps.schedules.finishRun(runId, { outcome: 'error', error: message.slice(0, 2000), result: {}, finishedAt: this.deps.clock.now(), durationMs: performance.now() - started });
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** Stops firing and waits for runs in flight. */
  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    await this.reloading?.catch(() => undefined);
    for (const { task } of this.tasks.values()) await task.destroy();
    this.tasks.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
