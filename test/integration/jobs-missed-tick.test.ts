import { sql } from 'drizzle-orm';
import { createLogger } from '../../adapters/index.js';
import { CronScheduler, type JobDefinition } from '../../jobs/index.js';
import { queryRows, type Database } from '../../models/index.js';
import { PgScheduleRepository } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TestClock } from '../support/http.js';

describe.each(testTargets())('missed cron ticks (%s)', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database.close());

  /** A daily job at 03:00 UTC that records the ticks it ran for. */
  const dailyJob = (name: string, ticks: Date[]): JobDefinition => ({
    name,
    description: 'test',
    defaultCron: '0 3 * * *',
    defaultTimeZone: 'UTC',
    run: async ({ tick }) => {
      ticks.push(tick);
      return { outcome: 'ok', result: {} };
    },
  });
  const scheduler = (jobs: JobDefinition[], clock: TestClock, instanceId: string) =>
    new CronScheduler({ schedules: new PgScheduleRepository(database.db), jobs, logger: createLogger('silent'), clock, instanceId, reloadIntervalMs: 3_600_000 });

  it('runs the latest tick missed during an outage once, across instances, and not again', async () => {
    const clock = new TestClock(new Date('2026-03-10T09:30:00Z'));
    const ticks: Date[] = [];
    const schedules = new PgScheduleRepository(database.db);
    await schedules.ensure('missed-daily', { cron: '0 3 * * *', timeZone: 'UTC', description: 'test' });
    // It last fired two days ago: the 03:00 ticks of the 9th and the 10th fell while the database was down.
    await database.db.execute(sql`update schedules set last_fired_at = ${'2026-03-08T03:00:00Z'} where name = 'missed-daily'`);

    const [a, b] = [scheduler([dailyJob('missed-daily', ticks)], clock, 'a'), scheduler([dailyJob('missed-daily', ticks)], clock, 'b')];
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.stop(), b.stop()]);
    expect(ticks).toEqual([new Date('2026-03-10T03:00:00Z')]);

    const again = scheduler([dailyJob('missed-daily', ticks)], clock, 'c');
    await again.start();
    await again.stop();
    expect(ticks).toHaveLength(1);
    const runs = await queryRows<{ trigger: string }>(database.db, sql`select trigger from schedule_runs where name = 'missed-daily'`);
    expect(runs).toEqual([{ trigger: 'cron' }]);
  });

  it('catches nothing up for a schedule that never fired', async () => {
    const clock = new TestClock(new Date('2026-03-10T09:30:00Z'));
    const ticks: Date[] = [];
    const fresh = scheduler([dailyJob('never-fired', ticks)], clock, 'a');
    await fresh.start();
    await fresh.stop();
    expect(ticks).toEqual([]);
  });
});
