import { sql } from 'drizzle-orm';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import { queryRows, type Database } from '../../models/index.js';
import * as accountsSchema from '../../models/accounts-schema.js';
import * as recommenderSchema from '../../models/recommender-schema.js';
import * as riskSchema from '../../models/risk-schema.js';
import * as foundationSchema from '../../models/schema.js';
import * as handoffSchema from '../../models/handoff-schema.js';
import * as commerceSchema from '../../models/commerce-schema.js';
import * as telegramSchema from '../../models/telegram-schema.js';
import * as wechatSchema from '../../models/wechat-schema.js';
import { openTestDatabase, testTargets } from '../support/database.js';

/*
 * The Drizzle schema files and the committed migrations describe the same tables: every column a
 * schema file declares exists in the migrated database with the same nullability and type. (The
 * database may have tables and columns no schema file declares: most repositories use typed raw
 * SQL and need no Drizzle table.)
 */

const SCHEMA_FILES = { foundationSchema, accountsSchema, telegramSchema, wechatSchema, recommenderSchema, handoffSchema, commerceSchema, riskSchema };

const tables = Object.values(SCHEMA_FILES).flatMap((file) => Object.values(file).filter((value): value is PgTable => is(value, PgTable)));

/** information_schema's name for a Drizzle column type (udt_name for arrays and user types). */
function expectedType(column: PgColumn): string {
  const sqlType = column.getSQLType();
  if (sqlType.endsWith('[]')) return `_${normalise(sqlType.slice(0, -2))}`;
  return normalise(sqlType);
}

function normalise(sqlType: string): string {
  const t = sqlType.replace(/\(.*\)/, '').trim();
  const names: Record<string, string> = {
    'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp', timestamp: 'timestamp', integer: 'int4', bigint: 'int8',
    smallint: 'int2', boolean: 'bool', 'double precision': 'float8', real: 'float4', serial: 'int4', bigserial: 'int8', 'character varying': 'varchar',
  };
  return names[t] ?? t;
}

describe.each(testTargets())('Drizzle schema files agree with the migrated database on %s', (target) => {
  let database: Database;
  let columns: Map<string, { nullable: boolean; type: string }>;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    const rows = await queryRows<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO'; udt_name: string }>(
      database.db,
      sql`SELECT table_name, column_name, is_nullable, udt_name FROM information_schema.columns WHERE table_schema = current_schema()`,
    );
    columns = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, { nullable: r.is_nullable === 'YES', type: r.udt_name }]));
  });
  afterAll(() => database.close());

  it('finds tables in every schema file', () => {
    expect(tables.length).toBeGreaterThanOrEqual(Object.keys(SCHEMA_FILES).length);
  });

  it.each(tables.map((table) => [getTableName(table), table] as const))('%s: every declared column, its nullability and type', (name, table) => {
    for (const column of Object.values(getTableColumns(table))) {
      const key = `${name}.${column.name}`;
      const actual = columns.get(key);
      expect([key, actual === undefined ? 'missing' : 'present']).toEqual([key, 'present']);
      expect([key, actual!.nullable]).toEqual([key, !column.notNull]);
      expect([key, actual!.type]).toEqual([key, expectedType(column)]);
    }
  });
});
