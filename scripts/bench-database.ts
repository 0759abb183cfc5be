import { loadBenchSettings } from '../bots/config/index.js';
import { openDatabase, openScratchDatabase, type Database } from '../models/index.js';

/** Benchmark settings from the environment (see .env.example), validated once. */
export const BENCH_SETTINGS = loadBenchSettings();
const BENCH_POSTGRES_URL = BENCH_SETTINGS.postgresUrl;

/**
 * A scratch database for a benchmark: in-memory PGlite, or a throw-away schema on PostgreSQL;
 * null (with a note) when PostgreSQL does not answer.
 */
export async function openBenchDatabase(kind: 'pglite' | 'postgres', poolSize = 10): Promise<Database | null> {
  if (kind === 'pglite') return openScratchDatabase({ prefix: 'bench' });
  const probe = await openDatabase({ databaseUrl: BENCH_POSTGRES_URL, poolSize: 1 });
  try {
    await probe.ping();
  } catch {
    console.log(`PostgreSQL at ${BENCH_POSTGRES_URL.replace(/\/\/[^@]*@/, '//…@')} does not answer; skipping it.`);
    return null;
  } finally {
    await probe.close();
  }
  return openScratchDatabase({ databaseUrl: BENCH_POSTGRES_URL, prefix: 'bench', poolSize });
}
