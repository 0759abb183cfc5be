import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock, Order, PaymentGateway, PaymentStart } from '../../../core/index.js';
import { toOutTradeNo, WechatPayError } from '../wechat-pay/index.js';

/*
 * WeChat virtual payment (虚拟支付, "xpay") for mini-programs, which WeChat requires for virtual
 * goods such as courses. Unlike WeChat Pay JSAPI, the server places no order: it signs the payment
 * parameters and the mini-program calls wx.requestVirtualPayment with them; WeChat then pushes
 * `xpay_goods_deliver_notify` to the mini-program's message-push URL, and refunds go through
 * /xpay/refund_order. Signatures (WeChat's documentation, "签名详解"):
 *   paySig    = hex(hmac_sha256(AppKey, uri + '&' + body))   uri 'requestVirtualPayment' for the client
 *                                                            call, '/xpay/…' for server APIs
 *   signature = hex(hmac_sha256(session_key, body))          the user's own, for the client call
 * Message push is checked with sha1 over the sorted (token, timestamp, nonce).
 */

export const hmacHex = (key: string, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** The message-push signature: sha1 of the token, timestamp and nonce sorted and joined. */
export const pushSignature = (token: string, timestamp: string, nonce: string): string =>
  createHash('sha1').update([token, timestamp, nonce].sort().join(''), 'utf8').digest('hex');

/** Whether a message push is WeChat's (its signature matches) and recent (within `maxSkewSeconds`). */
export function isGenuinePush(token: string, query: { signature?: string; timestamp?: string; nonce?: string }, now: Date, maxSkewSeconds = 300): boolean {
  const { signature, timestamp, nonce } = query;
  if (!signature || !timestamp || !nonce || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > maxSkewSeconds) return false;
  const expected = Buffer.from(pushSignature(token, timestamp, nonce), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WechatVirtualSettings {
  /** https://api.weixin.qq.com, or a stand-in (WECHAT_API_BASE). */
  apiBase: string;
  appId: string;
  appSecret: string;
  /** 虚拟支付 → 基本配置: OfferID and the AppKey of the environment used. */
  offerId: string;
  appKey: string;
  /** 0: production, 1: WeChat's own sandbox (米大师沙箱). */
  env: 0 | 1;
  timeoutMs?: number;
}

/** Where the gateway finds what it needs beyond the order. */
export interface WechatVirtualLookups {
  /** The session_key of the payer's latest mini-program login (kept on the server only). */
  sessionKeyOf(openId: string): Promise<string | null>;
  /** The payer's mini-program openid, for refunds and order queries. */
  openIdOf(followerId: string): Promise<string | null>;
  /** The 道具 (product) id registered for the course in the mini-program's admin: we use the course slug. */
  productIdOf(order: Order): Promise<string>;
}

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const apiAnswer = z.object({ errcode: z.number().int().default(0), errmsg: z.string().optional() }).loose();
const queryAnswer = apiAnswer.extend({
  order: z
    .object({ order_id: z.string(), status: z.number().int(), paid_fee: z.number().int().optional(), order_fee: z.number().int().optional(), wxpay_order_id: z.string().optional() })
    .loose()
    .optional(),
});
const refundAnswer = apiAnswer.extend({ refund_order_id: z.string().optional(), refund_wx_order_id: z.string().optional() });

/** query_order's status: 2 paid (to deliver), 3 delivering, 4 delivered; 5 and 8 refunded. */
const PAID_STATUSES = new Set([2, 3, 4]);

/** What query_order says of one order. */
export interface VirtualOrderState {
  isPaid: boolean;
  status: number;
  paidFen: number | null;
  wxOrderId: string | null;
}

/**
 * The `wechat_virtual` provider behind the core's PaymentGateway port: signed parameters for
 * wx.requestVirtualPayment (mode `short_series_goods`, one 道具 per course at the course's CNY
 * price), order queries to confirm a delivery push, and refunds through /xpay/refund_order.
 *
 * @example
 * const start = await gateway.startPayment(order, { followerId, externalId: openId });
 * // { kind: 'wechat_virtual', params: { signData, paySig, signature, mode: 'short_series_goods' } }
 */
export class WechatVirtualGateway implements PaymentGateway {
  readonly provider = 'wechat_virtual' as const;
  private token: { value: string; expiresAtMs: number } | undefined;

  constructor(
    private readonly settings: WechatVirtualSettings,
    private readonly lookups: WechatVirtualLookups,
    private readonly clock: Clock,
  ) {}

  async startPayment(order: Order, payer: { followerId: string; externalId?: string }): Promise<PaymentStart> {
    if (!payer.externalId) throw new WechatPayError(422, 'payer_openid_required', 'Virtual payment needs the payer openid; log in through the mini-program.');
    if (order.currency !== 'CNY') throw new WechatPayError(422, 'currency_not_supported', `Virtual payment charges CNY; this order is in ${order.currency}.`);
    const sessionKey = await this.lookups.sessionKeyOf(payer.externalId);
    if (!sessionKey) throw new WechatPayError(401, 'login_required', 'Log in through the mini-program again (wx.login) before paying.');
    const signData = JSON.stringify({
      offerId: this.settings.offerId,
      buyQuantity: 1,
      env: this.settings.env,
      currencyType: 'CNY',
      productId: await this.lookups.productIdOf(order),
      goodsPrice: order.amountMinor,
      outTradeNo: toOutTradeNo(order.id),
      attach: order.id,
    });
    return {
      kind: 'wechat_virtual',
      params: { signData, paySig: hmacHex(this.settings.appKey, `requestVirtualPayment&${signData}`), signature: hmacHex(sessionKey, signData), mode: 'short_series_goods' },
    };
  }

  async refund(order: Order, reason: string): Promise<{ refundId: string }> {
    const openId = await this.lookups.openIdOf(order.followerId);
    if (!openId) throw new WechatPayError(409, 'payer_unknown', `The buyer of order ${order.id} has no mini-program openid any more; refund it in the mini-program admin.`);
    const outTradeNo = toOutTradeNo(order.id);
    const answer = refundAnswer.parse(await this.call('/xpay/refund_order', {
      openid: openId,
      order_id: outTradeNo,
      refund_order_id: `r${outTradeNo}`.slice(0, 32),
      left_fee: order.amountMinor,
      refund_fee: order.amountMinor,
      biz_meta: reason.slice(0, 128),
      refund_reason: '0',
      req_from: '1',
      env: this.settings.env,
    }));
    if (answer.errcode !== 0) throw new WechatPayError(502, 'refund_refused', `WeChat refused the refund (errcode ${answer.errcode}${answer.errmsg ? `: ${answer.errmsg}` : ''}).`);
    return { refundId: answer.refund_wx_order_id ?? answer.refund_order_id ?? `r${outTradeNo}` };
  }

  /** What WeChat knows of one of our orders (to confirm a delivery push before granting the course). */
  async queryOrder(openId: string, orderId: string): Promise<VirtualOrderState> {
    const answer = queryAnswer.parse(await this.call('/xpay/query_order', { openid: openId, env: this.settings.env, order_id: toOutTradeNo(orderId) }));
    if (answer.errcode !== 0 || !answer.order) throw new WechatPayError(502, 'query_failed', `WeChat could not find the order (errcode ${answer.errcode}).`);
    const o = answer.order;
    return { isPaid: PAID_STATUSES.has(o.status), status: o.status, paidFen: o.paid_fee ?? null, wxOrderId: o.wxpay_order_id ?? null };
  }

  /** POSTs to a server API with the access token and the body's pay_sig. */
  private async call(uri: string, body: Record<string, unknown>): Promise<unknown> {
    const text = JSON.stringify(body);
    const url = new URL(uri, this.settings.apiBase);
    url.search = new URLSearchParams({ access_token: await this.accessToken(), pay_sig: hmacHex(this.settings.appKey, `${uri}&${text}`) }).toString();
    return this.fetchJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  }

  /** The mini-program's access token, fetched with its secret and kept until five minutes before it expires. */
  private async accessToken(): Promise<string> {
    const nowMs = this.clock.now().getTime();
    if (this.token && this.token.expiresAtMs > nowMs) return this.token.value;
    const url = new URL('/cgi-bin/token', this.settings.apiBase);
    url.search = new URLSearchParams({ grant_type: 'client_credential', appid: this.settings.appId, secret: this.settings.appSecret }).toString();
    const parsed = tokenAnswer.safeParse(await this.fetchJson(url, { method: 'GET' }));
    if (!parsed.success) throw new WechatPayError(502, 'wechat_error', 'WeChat did not give an access token; check WECHAT_APP_ID and WECHAT_APP_SECRET.');
    this.token = { value: parsed.data.access_token, expiresAtMs: nowMs + Math.max(60, parsed.data.expires_in - 300) * 1000 };
    return this.token.value;
  }

  private async fetchJson(url: URL, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.settings.timeoutMs ?? 5000) });
    } catch (error) {
      throw new WechatPayError(503, 'wechat_unreachable', `WeChat could not be reached (${error instanceof Error ? error.name : 'error'}); try again.`);
    }
    if (!response.ok) throw new WechatPayError(502, 'wechat_error', `WeChat answered HTTP ${response.status}; try again later.`);
    return response.json().catch(() => {
      throw new WechatPayError(502, 'wechat_error', 'WeChat answered with a body that is not JSON.');
    });
  }
}
