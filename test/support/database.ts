import { openScratchDatabase, type Database } from '../../models/index.js';

export type TestTarget = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function testTargets(): TestTarget[] {
  return process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A migrated, empty database for one test file: in-memory PGlite, or a fresh schema on the
 * PostgreSQL server that is dropped again on close. PGlite takes seconds to start under jest, so
 * open one per file (beforeAll), not per test.
 */
export async function openTestDatabase(target: TestTarget): Promise<Database> {
  if (target === 'pglite') return openScratchDatabase({ prefix: 't' });
  const url = process.env['TEST_DATABASE_URL'];
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return openScratchDatabase({ databaseUrl: url, prefix: 't' });
}
