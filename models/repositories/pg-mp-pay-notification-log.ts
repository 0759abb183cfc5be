import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.js';
import { tsParam } from './pg-sql.js';

/**
 * WeChat Pay notifications already processed, keyed by their Wechatpay-Nonce, so a byte-for-byte
 * replay is refused even inside the 5-minute timestamp window.
 *
 * @example
 * if (await log.hasSeen(nonce)) reject(); else { process(); await log.remember(nonce, id, orderId, now); }
 */
export class PgMpPayNotificationLog {
  constructor(private readonly db: Db) {}

  async hasSeen(nonce: string): Promise<boolean> {
    const rows = await queryRows<{ nonce: string }>(this.db, sql`select nonce from mp_pay_notifications where nonce = ${nonce} limit 1`);
    return rows.length > 0;
  }

  async remember(nonce: string, notificationId: string, orderId: string | null, at: Date): Promise<void> {
    await queryRows(
      this.db,
      sql`insert into mp_pay_notifications (nonce, notification_id, order_id, received_at) values (${nonce}, ${notificationId}, ${orderId}, ${tsParam(at)})
          on conflict do nothing`,
    );
  }
}
