import { sql } from 'drizzle-orm';
import { createLogger } from '../../../adapters/index.js';
import { systemClock } from '../../../core/index.js';
import { CronScheduler } from '../../../jobs/index.js';
import { openDatabase } from '../../../models/index.js';
import { PgScheduleRepository } from '../../../models/repositories/pg-schedule-repository.js';

/*
 * One scheduler instance for the three-process lease test: runs the every-second job `lease-test`
 * for RUN_MS, recording each firing (tick and instance) in lease_fires, then stops and exits.
 */
const url = process.env['LEASE_DATABASE_URL'];
const schema = process.env['LEASE_SCHEMA'];
const instance = process.env['LEASE_INSTANCE'] ?? String(process.pid);
const runMs = Number(process.env['LEASE_RUN_MS'] ?? 5000);
if (!url || !schema) throw new Error('LEASE_DATABASE_URL and LEASE_SCHEMA are required');

const database = await openDatabase({ databaseUrl: url, searchPath: schema, poolSize: 3 });
const scheduler = new CronScheduler({
  schedules: new PgScheduleRepository(database.db),
  jobs: [
    {
      name: 'lease-test',
      description: 'every second, for the lease test',
      defaultCron: '* * * * * *',
      defaultTimeZone: 'UTC',
      run: async ({ tick }) => {
        await database.db.execute(sql`INSERT INTO lease_fires (tick, instance) VALUES (${tick.toISOString()}::timestamptz, ${instance})`);
        return { outcome: 'ok', result: { instance } };
      },
    },
  ],
  logger: createLogger('warn'),
  clock: systemClock,
  instanceId: instance,
  reloadIntervalMs: 1000,
  // A second claim of a tick would surface here (the run-history unique index refuses it); the test fails on any.
  onError: (job, error) => process.stderr.write(`SCHEDULER_ERROR ${job} ${error instanceof Error ? error.message : String(error)}\n`),
});
await scheduler.start();
process.stdout.write(`ready ${instance}\n`);
await new Promise((resolve) => setTimeout(resolve, runMs));
await scheduler.stop();
await database.close();
process.exit(0);
