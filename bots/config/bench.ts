import { z } from 'zod';
import { envInt, envOptional } from './env-schema.js';

/** Settings of the benchmark scripts (scripts/bench-*.ts); documented in .env.example. */
export const benchEnvSchema = z.object({
  DATABASE_URL: envOptional(),
  TEST_DATABASE_URL: envOptional(),
  BENCH_API_EVENTS: envInt(50_000, 100, 10_000_000),
  BENCH_DIRECT_EVENTS: envInt(20_000, 100, 10_000_000),
  BENCH_TELEGRAM_UPDATES: envInt(5_000, 100, 1_000_000),
  BENCH_TELEGRAM_CONCURRENCY: envInt(16, 1, 1_000),
  BENCH_TELEGRAM_RATE: envInt(500, 1, 100_000),
  BENCH_TELEGRAM_MAX_CONNECTIONS: envInt(40, 1, 100),
  BENCH_TELEGRAM_DATABASES: envOptional(),
  SIMULATE_SEEDS: envOptional(),
  SIMULATE_FOLLOWERS: envInt(300, 20, 100_000),
});

export function toBenchSettings(env: z.output<typeof benchEnvSchema>) {
  return {
    /** The PostgreSQL server benchmarks use: DATABASE_URL, TEST_DATABASE_URL, or this machine's. */
    postgresUrl: env.DATABASE_URL ?? env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    /** Only when one of the two URLs is set (bench:broadcast falls back to PGlite otherwise). */
    configuredPostgresUrl: env.DATABASE_URL ?? env.TEST_DATABASE_URL,
    apiEvents: env.BENCH_API_EVENTS,
    directEvents: env.BENCH_DIRECT_EVENTS,
    telegramUpdates: env.BENCH_TELEGRAM_UPDATES,
    telegramConcurrency: env.BENCH_TELEGRAM_CONCURRENCY,
    telegramRate: env.BENCH_TELEGRAM_RATE,
    telegramMaxConnections: env.BENCH_TELEGRAM_MAX_CONNECTIONS,
    telegramDatabases: env.BENCH_TELEGRAM_DATABASES?.split(',').map((s) => s.trim()),
    /** simulate:audience: the audience seeds (one run of every arm each) and followers per run. */
    simulateSeeds: (env.SIMULATE_SEEDS ?? '1,2,3').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n)),
    simulateFollowers: env.SIMULATE_FOLLOWERS,
  };
}
