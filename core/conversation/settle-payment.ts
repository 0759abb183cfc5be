import type { Currency } from '../catalog/course.js';
import { ZhiliaoError } from '../errors.js';
import { confirmPayment } from '../orders/confirm-payment.js';
import type { Order, PaymentProvider } from '../orders/order.js';
import type { ReferralReward } from '../referrals/reward-referral.js';
import type { Clock, CoreMetrics, UnitOfWork } from '../ports/index.js';
import type { ChatPayment } from './inbound.js';

/** The one currency each in-chat provider charges in; a payment in another was never invoiced by us. */
const CHAT_CURRENCY: Partial<Record<PaymentProvider, Currency>> = { telegram_stars: 'XTR' };

/**
 * What became of a payment reported in a chat:
 * - `confirmed`: the order is paid and the course granted now (`referral`: what it earned the buyer's referrer);
 * - `duplicate`: the same charge was settled before (a redelivery); nothing changes;
 * - `refund`: no order takes this money (unknown invoice, wrong amount, order paid with another
 *   charge): it must go back to the payer;
 * - `manual_review`: the money is not ours to give back automatically (the charge id already paid
 *   another order, or a currency we never invoice): a person decides.
 */
export type PaymentSettlement =
  | { outcome: 'confirmed'; order: Order; referral?: ReferralReward }
  | { outcome: 'duplicate'; order: Order }
  | { outcome: 'refund'; reason: string }
  | { outcome: 'manual_review'; reason: string };

/**
 * Settles a payment a chat platform reports against the order our invoice named, exactly once per
 * charge. Every rule about whose money it is lives here; the caller gives refunds back and tells
 * the follower.
 *
 * @example
 * const settlement = await settlePayment(deps, { provider: 'telegram_stars', orderId, chargeId, currency: 'XTR', totalAmount: 150, payerExternalId: '42' });
 * if (settlement.outcome === 'refund') await refunds.refundCharge(payment);
 */
export async function settlePayment(deps: { uow: UnitOfWork; clock: Clock; metrics?: CoreMetrics }, payment: ChatPayment): Promise<PaymentSettlement> {
  const currency = CHAT_CURRENCY[payment.provider];
  if (!currency || payment.currency !== currency) return { outcome: 'manual_review', reason: 'currency_never_invoiced' };
  if (!payment.orderId) return { outcome: 'refund', reason: 'unknown_invoice' };
  try {
    const { order, isNew, referral } = await confirmPayment(deps, {
      orderId: payment.orderId,
      provider: payment.provider,
      providerChargeId: payment.chargeId,
      amountMinor: payment.totalAmount,
      currency,
    });
    return isNew ? { outcome: 'confirmed', order, ...(referral ? { referral } : {}) } : { outcome: 'duplicate', order };
  } catch (error) {
    if (!(error instanceof ZhiliaoError)) throw error;
    // A charge id that already paid another order is that order's money: never given back here.
    if (error.code === 'charge_reused') return { outcome: 'manual_review', reason: error.code };
    return { outcome: 'refund', reason: error.code };
  }
}
