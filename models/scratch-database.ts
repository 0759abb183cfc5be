import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from './database.js';
import { migrate } from './migrate.js';

/**
 * A migrated, empty database that disappears on close, for tests and benchmarks: in-memory PGlite
 * without a URL, or a fresh schema on the PostgreSQL server at `databaseUrl` (dropped on close).
 *
 * @example
 * const database = await openScratchDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/test', prefix: 't' });
 */
export async function openScratchDatabase(options: { databaseUrl?: string; prefix: string; poolSize?: number }): Promise<Database> {
  if (!options.databaseUrl) {
    const database = await openDatabase({});
    await migrate(database);
    return database;
  }
  const schemaName = `${options.prefix}_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 1 });
  try {
    await admin.execScript(`CREATE SCHEMA ${schemaName}`);
  } catch (error) {
    await admin.close();
    throw error;
  }
  const database = await openDatabase({ databaseUrl: options.databaseUrl, searchPath: schemaName, poolSize: options.poolSize ?? 5 });
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
