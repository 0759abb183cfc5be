import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.js';

/** A Drizzle database or transaction over either driver; repositories take this. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** Runs a script of several statements in one transaction (migrations). */
  execScript(sqlText: string): Promise<void>;
  /** Round-trips a trivial query; throws when the database is unreachable. */
  ping(): Promise<void>;
  /** PGlite only: the data directory as an uncompressed tarball, to open copies with `loadDataDir`. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` for a PostgreSQL server; absent for embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; absent means in memory (tests). */
  dataDir?: string;
  /** PGlite: start from this data directory tarball (from `dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Blob;
  /** PostgreSQL schema to use as search_path (one per test file). */
  searchPath?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/**
 * Opens the database: PGlite in-process (persisted in `dataDir`) by default, PostgreSQL when a URL is given.
 *
 * @example
 * const database = await openDatabase({ dataDir: './data/pglite' });
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pgliteOptions = options.loadDataDir ? { loadDataDir: options.loadDataDir } : {};
  const client = options.dataDir ? new PGlite(options.dataDir, pgliteOptions) : new PGlite(pgliteOptions);
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    execScript: async (sqlText) => {
      await client.transaction(async (tx) => {
        await tx.exec(sqlText);
      });
    },
    ping: async () => {
      await client.query('select 1');
    },
    dumpDataDir: () => client.dumpDataDir('none'),
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  if (options.searchPath && !/^[a-z_][a-z0-9_]*$/.test(options.searchPath)) {
    throw new Error(`searchPath must be a plain lowercase identifier, got ${JSON.stringify(options.searchPath)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    options: options.searchPath ? `-c search_path=${options.searchPath}` : undefined,
  });
  // A broken idle connection must not crash the process; the next query reports the problem.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  let isClosed = false;
  return {
    db,
    kind: 'postgres',
    execScript: async (sqlText) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(sqlText);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: async () => {
      if (isClosed) return;
      isClosed = true;
      await pool.end();
    },
  };
}

/**
 * Rows of a raw SQL query, on either driver.
 *
 * @example
 * const rows = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from events`);
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** The parts of Drizzle's session that run a query under a statement name (not in its typed API for raw SQL). */
interface NamedQueryRunner {
  session: { prepareQuery(query: unknown, fields: undefined, name: string, isArrayMode: boolean): { execute(): Promise<unknown> } };
  dialect: { sqlToQuery(query: SQL): unknown };
}

/**
 * {@link queryRows} as a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every call. For hot statements whose planning costs as much as their
 * execution (CTE pipelines); `name` must always stand for the same SQL text (parameters vary).
 * On PGlite it runs as an ordinary query.
 *
 * @example
 * const rows = await queryPrepared<{ n: number }>(db, 'count_events_of', sql`select count(*)::int as n from events where follower_id = ${id}`);
 */
export async function queryPrepared<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  const runner = db as unknown as NamedQueryRunner;
  const result = (await runner.session.prepareQuery(runner.dialect.sqlToQuery(query), undefined, name, false).execute()) as { rows: T[] };
  return result.rows;
}
