import type { Order, PaymentGateway, PaymentStart } from '../../core/index.js';
import { ConflictError } from '../../core/index.js';
import { invoicePayload } from './render-reply.js';

export interface TelegramStarsGatewayDeps {
  token: string;
  apiRoot: string;
  /** The Telegram user id behind a follower (refunds go to the payer). */
  telegramUserIdOf(followerId: string): Promise<string | null>;
  fetch?: typeof fetch;
}

/**
 * Telegram Stars behind the payment port. Invoices are sent by the chat (sendInvoice in XTR); a
 * refund calls `refundStarPayment`, which telegraf 4.16 does not wrap, so it goes over plain HTTP
 * to the same API root.
 *
 * @example
 * const stars = new TelegramStarsGateway({ token, apiRoot: 'https://api.telegram.org', telegramUserIdOf });
 * await refundOrder({ uow, clock, gateways: new Map([['telegram_stars', stars]]) }, { orderId, actor: 'admin', reason: 'asked' });
 */
export class TelegramStarsGateway implements PaymentGateway {
  readonly provider = 'telegram_stars' as const;

  constructor(private readonly deps: TelegramStarsGatewayDeps) {}

  async startPayment(order: Order): Promise<PaymentStart> {
    return { kind: 'telegram_invoice', payload: invoicePayload(order.id, order.courseId), currency: 'XTR', amountMinor: order.amountMinor };
  }

  async refund(order: Order): Promise<{ refundId: string }> {
    if (!order.providerChargeId) throw new ConflictError('no_charge', `Order ${order.id} has no Telegram charge id to refund.`);
    const userId = await this.deps.telegramUserIdOf(order.followerId);
    if (!userId) throw new ConflictError('no_telegram_user', `The follower of order ${order.id} has no Telegram identity to refund to.`);
    return this.refundCharge(userId, order.providerChargeId);
  }

  /**
   * Gives a Stars charge back to the user who paid it, with or without an order (a payment that
   * no order would take). Throws `ConflictError('refund_refused')` when Telegram says no.
   */
  async refundCharge(telegramUserId: string, chargeId: string): Promise<{ refundId: string }> {
    const doFetch = this.deps.fetch ?? fetch;
    const response = await doFetch(`${this.deps.apiRoot.replace(/\/$/, '')}/bot${this.deps.token}/refundStarPayment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: Number(telegramUserId), telegram_payment_charge_id: chargeId }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as { ok?: boolean; description?: string };
    if (!response.ok || body.ok !== true) {
      throw new ConflictError('refund_refused', `Telegram refused the refund: ${body.description ?? `HTTP ${response.status}`}.`);
    }
    return { refundId: `tg:${chargeId}` };
  }
}
