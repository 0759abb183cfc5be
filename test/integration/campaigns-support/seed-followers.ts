import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../../models/index.js';

/**
 * Inserts `count` followers with a Telegram identity each (chat id = `${prefix}${i}`), in one
 * statement per 10,000, and returns their ids in insertion order.
 */
export async function seedFollowers(
  db: Db,
  count: number,
  options: { prefix: string; locale?: 'zh-CN' | 'en'; timeZone?: string; hasConsent?: boolean; lastSeenAt?: Date },
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 10_000) {
    const n = Math.min(10_000, count - start);
    const rows = await queryRows<{ id: string }>(
      db,
      sql`WITH f AS (
            INSERT INTO followers (locale, time_zone, has_marketing_consent, last_seen_at)
            SELECT ${options.locale ?? 'en'}, ${options.timeZone ?? 'UTC'}, ${options.hasConsent ?? true}, ${options.lastSeenAt ? options.lastSeenAt.toISOString() : null}::timestamptz
            FROM generate_series(1, ${n})
            RETURNING id),
          numbered AS (SELECT id, row_number() OVER () + ${start} AS i FROM f),
          ident AS (INSERT INTO identities (kind, external_id, follower_id) SELECT 'telegram', ${options.prefix} || i::text, id FROM numbered RETURNING follower_id, external_id)
          SELECT follower_id AS id FROM ident ORDER BY substring(external_id from ${options.prefix.length + 1})::bigint`,
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}
