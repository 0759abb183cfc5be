import { sql } from 'drizzle-orm';
import { queryPrepared, queryRows, type Db } from '../database.js';

/**
 * Telegram bookkeeping: which update_ids were taken for processing (redeliveries are skipped) and
 * the Telegram user behind a follower (for refunds and jobs).
 *
 * @example
 * const [isMine] = await updates.claimMany(botId, [{ updateId: update.update_id, kind: 'message' }]);
 */
export class PgTelegramUpdateRepository {
  constructor(private readonly db: Db) {}

  /**
   * Takes several updates in one statement (concurrent webhook requests claimed together); one
   * answer per item, in order. An update_id given twice in one call is taken by the first.
   */
  async claimMany(botId: string, items: ReadonlyArray<{ updateId: number; kind: string }>): Promise<boolean[]> {
    if (items.length === 0) return [];
    const rows = JSON.stringify(items.map((i) => ({ update_id: i.updateId, kind: i.kind })));
    const taken = await queryPrepared<{ update_id: number }>(
      this.db,
      'telegram_claim_updates',
      sql`insert into telegram_processed_updates (bot_id, update_id, kind)
          select ${botId}, x.update_id, min(x.kind) from jsonb_to_recordset(${rows}::jsonb) as x(update_id bigint, kind text) group by x.update_id
          on conflict do nothing returning update_id::int`,
    );
    const isNew = new Set(taken.map((r) => Number(r.update_id)));
    return items.map((i) => isNew.delete(i.updateId));
  }

  /** Gives an update back after processing failed, so Telegram's redelivery is processed again. */
  async release(botId: string, updateId: number): Promise<void> {
    await queryRows(this.db, sql`delete from telegram_processed_updates where bot_id = ${botId} and update_id = ${updateId}`);
  }

  /** The Telegram user id of a follower, if they reached us on Telegram. */
  async telegramUserIdOf(followerId: string): Promise<string | null> {
    const [row] = await queryRows<{ external_id: string }>(
      this.db,
      sql`select external_id from identities where follower_id = ${followerId} and kind = 'telegram' order by created_at limit 1`,
    );
    return row?.external_id ?? null;
  }
}
