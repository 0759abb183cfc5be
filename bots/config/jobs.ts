import { z } from 'zod';
import { envBoolean, envInt, envOptional } from './env-schema.js';

const timeZone = z
  .string()
  .default('Asia/Shanghai')
  .refine((v) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: v });
      return true;
    } catch {
      return false;
    }
  }, 'expected an IANA time zone such as Asia/Shanghai or UTC');

/** Jobs (node-cron scheduler) and the outbox dispatcher. Every variable is documented in .env.example. */
export const jobsEnvSchema = z.object({
  JOBS_ENABLED: envBoolean(true),
  JOBS_INSTANCE_ID: envOptional(),
  JOBS_RELOAD_INTERVAL_MS: envInt(5000, 200, 3_600_000),
  DISPATCH_ENABLED: envBoolean(true),
  DISPATCH_BATCH_SIZE: envInt(50, 1, 1000),
  DISPATCH_CONCURRENCY: envInt(16, 1, 256),
  DISPATCH_LEASE_MS: envInt(60_000, 1000, 3_600_000),
  DISPATCH_IDLE_MS: envInt(1000, 10, 60_000),
  DISPATCH_MAX_ATTEMPTS: envInt(5, 1, 50),
  RETARGETING_LIMIT_PER_RULE: envInt(1000, 1, 1_000_000),
  REPORT_TIME_ZONE: timeZone,
});

export function toJobsConfig(env: z.output<typeof jobsEnvSchema>) {
  return {
    jobs: {
      isEnabled: env.JOBS_ENABLED,
      instanceId: env.JOBS_INSTANCE_ID,
      reloadIntervalMs: env.JOBS_RELOAD_INTERVAL_MS,
      retargetingLimitPerRule: env.RETARGETING_LIMIT_PER_RULE,
      reportTimeZone: env.REPORT_TIME_ZONE,
      dispatch: {
        isEnabled: env.DISPATCH_ENABLED,
        batchSize: env.DISPATCH_BATCH_SIZE,
        concurrency: env.DISPATCH_CONCURRENCY,
        leaseMs: env.DISPATCH_LEASE_MS,
        idleMs: env.DISPATCH_IDLE_MS,
        maxAttempts: env.DISPATCH_MAX_ATTEMPTS,
      },
    },
  };
}

