import { openScratchDatabase, type Database } from '../../models/index.js';

export type TestTarget = 'pglite' | 'postgres';

/** Names the migrated PGlite tarball that jest's global setup writes once per run. */
export const PGLITE_TEMPLATE_VARIABLE = 'ZHILIAO_TEST_PGLITE_TEMPLATE';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function testTargets(): TestTarget[] {
  return process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A migrated, empty database for one test file: in-memory PGlite loaded from the run's migrated
 * template (test/support/global-setup.js; migrated from scratch when there is none), or a fresh
 * schema on the PostgreSQL server that is dropped again on close. PGlite still takes seconds to
 * start under jest, so open one per file (beforeAll), not per test.
 */
export async function openTestDatabase(target: TestTarget): Promise<Database> {
  if (target === 'pglite') {
    const template = process.env[PGLITE_TEMPLATE_VARIABLE];
    return openScratchDatabase({ prefix: 't', ...(template ? { pgliteTemplate: template } : {}) });
  }
  const url = process.env['TEST_DATABASE_URL'];
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return openScratchDatabase({ databaseUrl: url, prefix: 't' });
}
