import { randomBytes } from 'node:crypto';
import { migrate, openDatabase, type Database } from '../../models/index.js';

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
  if (target === 'pglite') {
    const database = await openDatabase({});
    await migrate(database);
    return database;
  }
  const url = process.env['TEST_DATABASE_URL'];
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schemaName = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
  await admin.execScript(`CREATE SCHEMA ${schemaName}`);
  const database = await openDatabase({ databaseUrl: url, searchPath: schemaName, poolSize: 5 });
  await migrate(database);
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.execScript(`DROP SCHEMA ${schemaName} CASCADE`);
      await admin.close();
    },
  };
}
