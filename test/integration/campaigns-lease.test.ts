import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../models/index.js';
import { openTestDatabase } from '../support/database.js';

const url = process.env['TEST_DATABASE_URL'];
const describeWithPostgres = url ? describe : describe.skip;
if (!url) console.warn('campaigns-lease.test.ts skipped: set TEST_DATABASE_URL to run the three-process cron lease test on PostgreSQL');

const CHILD = path.resolve('test/integration/campaigns-support/scheduler-child.ts');

describeWithPostgres('cron lease across three processes on one PostgreSQL schema', () => {
  let database: Database;
  let schema: string;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    [{ schema }] = (await queryRows<{ schema: string }>(database.db, sql`SELECT current_schema() AS schema`)) as [{ schema: string }];
    await database.db.execute(sql`CREATE TABLE lease_fires (tick timestamptz NOT NULL, instance text NOT NULL)`);
  });
  afterAll(() => database.close());

  it('fires every tick of an every-second job exactly once', async () => {
    const runMs = 8000;
    const children = ['p1', 'p2', 'p3'].map((instance) =>
      spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: { ...process.env, LEASE_DATABASE_URL: url, LEASE_SCHEMA: schema, LEASE_INSTANCE: instance, LEASE_RUN_MS: String(runMs) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const errors: string[] = [];
    const exits = children.map(
      (child) =>
        new Promise<number>((resolve) => {
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('exit', (code) => {
            if (code !== 0) console.error(stderr);
            errors.push(...stderr.split('\n').filter((line) => line.startsWith('SCHEDULER_ERROR')));
            resolve(code ?? -1);
          });
        }),
    );
    expect(await Promise.all(exits)).toEqual([0, 0, 0]);
    expect(errors).toEqual([]);

    const fires = await queryRows<{ tick: Date | string; n: number; instances: string }>(
      database.db,
      sql`SELECT tick, count(*)::int AS n, string_agg(instance, ',') AS instances FROM lease_fires GROUP BY tick ORDER BY tick`,
    );
    const seconds = fires.map((f) => new Date(f.tick).getTime() / 1000);
    // All three were up for at least ~3 s of the run; every second they shared fired once.
    expect(fires.length).toBeGreaterThanOrEqual(3);
    expect(fires.filter((f) => f.n !== 1)).toEqual([]);
    for (let i = 1; i < seconds.length; i++) expect(seconds[i]! - seconds[i - 1]!).toBe(1);
    const runs = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM schedule_runs WHERE name = 'lease-test' AND trigger = 'cron' AND outcome = 'ok'`);
    expect(runs[0]!.n).toBe(fires.length);
    console.info(`lease test: ${fires.length} ticks, fired by ${[...new Set(fires.map((f) => f.instances))].join('/')}`);
  }, 60_000);
});
