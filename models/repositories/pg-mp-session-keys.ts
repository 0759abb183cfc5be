import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.js';
import { tsParam } from './pg-sql.js';

/**
 * The session_key of each mini-program login, by openid (replaced at every login; deleted with the
 * follower). Secret: never logged, never returned to a client; virtual payment signs with it.
 *
 * @example
 * await keys.save({ openId, followerId, sessionKey, at: now });
 * const key = await keys.sessionKeyOf(openId);
 */
export class PgMpSessionKeys {
  constructor(private readonly db: Db) {}

  async save(entry: { openId: string; followerId: string; sessionKey: string; at: Date }): Promise<void> {
    await this.db.execute(sql`
      INSERT INTO mp_session_keys (open_id, follower_id, session_key, updated_at) VALUES (${entry.openId}, ${entry.followerId}::uuid, ${entry.sessionKey}, ${tsParam(entry.at)})
      ON CONFLICT (open_id) DO UPDATE SET follower_id = excluded.follower_id, session_key = excluded.session_key, updated_at = excluded.updated_at`);
  }

  async sessionKeyOf(openId: string): Promise<string | null> {
    const [row] = await queryRows<{ session_key: string }>(this.db, sql`SELECT session_key FROM mp_session_keys WHERE open_id = ${openId}`);
    return row?.session_key ?? null;
  }
}
