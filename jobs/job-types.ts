/** What a job body returns: `ok` with numbers for the run history, or `not_available` with the reason. */
export type JobResult = { outcome: 'ok' | 'not_available'; result: Record<string, unknown> };

/** A job the scheduler can fire: its body and the schedule it gets the first time it is seen. */
export interface JobDefinition {
  name: string;
  description: string;
  defaultCron: string;
  defaultTimeZone: string;
  run(context: { tick: Date; trigger: 'cron' | 'manual' }): Promise<JobResult>;
}
