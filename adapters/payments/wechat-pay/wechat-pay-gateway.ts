import type { Clock, Order, PaymentGateway, PaymentStart } from '../../../core/index.js';
import { requestPaymentParams } from './signing.js';
import type { WechatPayClient } from './wechat-pay-client.js';
import { WechatPayError } from './wechat-pay-client.js';

/** Our order id as WeChat's out_trade_no (6–32 of [A-Za-z0-9_*-]): the uuid without dashes. */
export function toOutTradeNo(orderId: string): string {
  return orderId.replaceAll('-', '');
}

/** Back from out_trade_no to our order id, or null when it is not one of ours. */
export function fromOutTradeNo(outTradeNo: string): string | null {
  const m = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i.exec(outTradeNo);
  return m ? m.slice(1).join('-').toLowerCase() : null;
}

/**
 * WeChat Pay JSAPI (mini-program) behind the core's PaymentGateway port: a prepay through the API
 * and the signed parameters for `wx.requestPayment`; refunds through the v3 refund API.
 *
 * @example
 * const start = await gateway.startPayment(order, { followerId, externalId: openId });
 */
export class WechatPayGateway implements PaymentGateway {
  /** `sandbox` when the client talks to the local sandbox: its orders are never real money. */
  constructor(
    private readonly client: WechatPayClient,
    private readonly clock: Clock,
    private readonly describe: (order: Order) => string,
    readonly provider: 'wechat_pay' | 'sandbox' = 'wechat_pay',
  ) {}

  async startPayment(order: Order, payer: { followerId: string; externalId?: string }): Promise<PaymentStart> {
    if (!payer.externalId) throw new WechatPayError(422, 'payer_openid_required', 'WeChat Pay JSAPI needs the payer openid; log in through the mini-program.');
    if (order.currency !== 'CNY') throw new WechatPayError(422, 'currency_not_supported', `WeChat Pay JSAPI charges CNY; this order is in ${order.currency}.`);
    const prepayId = await this.client.jsapiPrepay({ outTradeNo: toOutTradeNo(order.id), description: this.describe(order), totalFen: order.amountMinor, openId: payer.externalId });
    const params = requestPaymentParams(this.client.credentials.appId, prepayId, this.client.credentials.privateKey, this.clock.now());
    return { kind: 'wechat_jsapi', params };
  }

  async refund(order: Order, reason: string): Promise<{ refundId: string }> {
    const refundId = await this.client.refund({ outTradeNo: toOutTradeNo(order.id), outRefundNo: `r${toOutTradeNo(order.id)}`, reason, refundFen: order.amountMinor, totalFen: order.amountMinor });
    return { refundId };
  }
}
