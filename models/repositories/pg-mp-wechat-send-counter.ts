import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.js';

/**
 * Counts the WeChat bot's recent messages in the shared `sends` log, for the daily cap and the
 * per-room limit of a personal account.
 *
 * @example
 * const today = await counter.messagesSince(new Date(Date.now() - 86_400_000));
 */
export class PgWechatSendCounter {
  constructor(private readonly db: Db) {}

  /** Messages sent (or being sent) since `since`, optionally to one chat. */
  async messagesSince(since: Date, chatId?: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      this.db,
      sql`select coalesce(sum(reply_count), 0)::int as n from sends
          where platform = 'wechat' and status in ('sent', 'sending') and created_at >= ${since.toISOString()}::timestamptz
          ${chatId === undefined ? sql`` : sql`and chat_id = ${chatId}`}`,
    );
    return row?.n ?? 0;
  }
}
