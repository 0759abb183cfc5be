import { openDatabase, openScratchDatabase, type Database } from '../models/index.js';

/** The PostgreSQL server benchmarks use: DATABASE_URL, TEST_DATABASE_URL, or this machine's. */
export const BENCH_POSTGRES_URL = process.env['DATABASE_URL'] || process.env['TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

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
