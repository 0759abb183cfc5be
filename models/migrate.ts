import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './database.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any constant: instances starting together serialise their migrations on this advisory lock. */
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Applies the committed SQL files in models/migrations in name order, each once, all pending ones in
 * one transaction. Safe when several instances start at once on one PostgreSQL.
 *
 * @example
 * const applied = await migrate(database); // ['0001_foundation.sql'] on a fresh database
 */
export async function migrate(database: Database): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const scripts = await Promise.all(files.map(async (name) => ({ name, text: await readFile(path.join(MIGRATIONS_DIR, name), 'utf8') })));
  const steps = scripts.map(
    (s) => `
  IF NOT EXISTS (SELECT 1 FROM schema_migrations WHERE name = ${literal(s.name)}) THEN
    EXECUTE ${dollarQuote(s.text)};
    INSERT INTO schema_migrations (name) VALUES (${literal(s.name)});
  END IF;`,
  );
  const before = await appliedNames(database);
  // Lock, check and DDL share one transaction: the lock is held until commit, so a second
  // instance waits, then finds the migrations recorded and skips them.
  await database.execScript(`
SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY});
CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
DO $migrate$ BEGIN ${steps.join('\n')}
END $migrate$;`);
  const after = await appliedNames(database);
  return files.filter((name) => after.has(name) && !before.has(name));
}

async function appliedNames(database: Database): Promise<Set<string>> {
  const [table] = await queryRows<{ name: string | null }>(database.db, sql`select to_regclass('schema_migrations')::text as name`);
  if (!table?.name) return new Set();
  const rows = await queryRows<{ name: string }>(database.db, sql`select name from schema_migrations`);
  return new Set(rows.map((r) => r.name));
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function dollarQuote(text: string): string {
  let tag = 'm';
  while (text.includes(`$${tag}$`)) tag += 'm';
  return `$${tag}$${text}$${tag}$`;
}
