import { eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { mpPayNotifications } from '../wechat-schema.js';

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
    const rows = await this.db.select({ nonce: mpPayNotifications.nonce }).from(mpPayNotifications).where(eq(mpPayNotifications.nonce, nonce)).limit(1);
    return rows.length > 0;
  }

  async remember(nonce: string, notificationId: string, orderId: string | null, at: Date): Promise<void> {
    await this.db.insert(mpPayNotifications).values({ nonce, notificationId, orderId, receivedAt: at }).onConflictDoNothing();
  }
}
