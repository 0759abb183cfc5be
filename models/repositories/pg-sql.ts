import { sql, type SQL } from 'drizzle-orm';

/**
 * A PostgreSQL array literal (`{"a","b",NULL}`) for one bound parameter; cast it in SQL
 * (`${pgArray(ids)}::uuid[]`). Drizzle would expand a JS array into separate parameters.
 */
export function pgArray(values: ReadonlyArray<string | null>): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)).join(',')}}`;
}

/** A timestamp parameter; raw SQL binds it as ISO text, cast where used. */
export function tsParam(date: Date): SQL {
  return sql`${date.toISOString()}::timestamptz`;
}

/** A timestamptz column in a raw SQL row: a Date or its text, depending on the driver (normalise with {@link toDate}). */
export type PgTimestamp = Date | string;

/** Drivers return timestamptz as Date (node-postgres) or string; normalise. */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** A nullable timestamp parameter. */
export function tsParamOrNull(date: Date | null): SQL {
  return date === null ? sql`null::timestamptz` : tsParam(date);
}
