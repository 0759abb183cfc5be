import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { openDatabase, type Database } from './database.js';
import { migrate } from './migrate.js';

/**
 * Writes a migrated, empty PGlite data directory to `file` (an uncompressed tarball), so that
 * scratch databases can start from it instead of each running initdb and the migrations.
 *
 * @example
 * await writePgliteTemplate('/tmp/zhiliao-template.tar');
 */
export async function writePgliteTemplate(file: string): Promise<void> {
  const database = await openDatabase({});
  try {
    await migrate(database);
    const tarball = await database.dumpDataDir!();
    await writeFile(file, new Uint8Array(await tarball.arrayBuffer()));
  } finally {
    await database.close();
  }
}

/**
 * A migrated, empty database that disappears on close, for tests and benchmarks: in-memory PGlite
 * without a URL (a copy of `pgliteTemplate` when given, from {@link writePgliteTemplate}; the
 * migrations still run, and find nothing to do on a current template), or a fresh schema on the
 * PostgreSQL server at `databaseUrl` (dropped on close).
 *
 * @example
 * const database = await openScratchDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/test', prefix: 't' });
 */
export async function openScratchDatabase(options: { databaseUrl?: string; prefix: string; poolSize?: number; pgliteTemplate?: string }): Promise<Database> {
  if (!options.databaseUrl) {
    const loadDataDir = options.pgliteTemplate ? new Blob([new Uint8Array(await readFile(options.pgliteTemplate))]) : undefined;
    const database = await openDatabase(loadDataDir ? { loadDataDir } : {});
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
