import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../../core/index.js';
import { authorizationHeader, verifyLines } from './signing.js';

export interface WechatPayCredentials {
  apiBase: string;
  appId: string;
  mchId: string;
  /** Serial number of the merchant API certificate. */
  mchSerial: string;
  privateKey: KeyObject;
  platformPublicKey: KeyObject;
  /** When set, responses and notifications must carry this Wechatpay-Serial. */
  platformSerial?: string;
  /** 32-byte APIv3 key. */
  apiV3Key: string;
  notifyUrl: string;
}

/** A refused or failed WeChat Pay call; `message` is safe to log (no keys, no signatures). */
export class WechatPayError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'WechatPayError';
  }
}

const prepayAnswer = z.object({ prepay_id: z.string().min(1) });
const refundAnswer = z.object({ refund_id: z.string().min(1), status: z.string() });
const errorAnswer = z.object({ code: z.string(), message: z.string() }).partial();

/**
 * The few WeChat Pay API v3 calls we make, signed with the merchant key; every 2xx answer's
 * `Wechatpay-Signature` is verified with the platform key (unsigned answers count as forged).
 *
 * @example
 * const prepayId = await client.jsapiPrepay({ outTradeNo, description, totalFen: 19900, openId });
 */
export class WechatPayClient {
  constructor(private readonly creds: WechatPayCredentials, private readonly clock: Clock, private readonly timeoutMs = 10_000) {}

  get credentials(): WechatPayCredentials {
    return this.creds;
  }

  async jsapiPrepay(input: { outTradeNo: string; description: string; totalFen: number; openId: string }): Promise<string> {
    const body = {
      appid: this.creds.appId,
      mchid: this.creds.mchId,
      description: input.description.slice(0, 127),
      out_trade_no: input.outTradeNo,
      notify_url: this.creds.notifyUrl,
      amount: { total: input.totalFen, currency: 'CNY' },
      payer: { openid: input.openId },
    };
    return prepayAnswer.parse(await this.call('POST', '/v3/pay/transactions/jsapi', body)).prepay_id;
  }

  async refund(input: { outTradeNo: string; outRefundNo: string; reason: string; refundFen: number; totalFen: number }): Promise<string> {
    const body = {
      out_trade_no: input.outTradeNo,
      out_refund_no: input.outRefundNo,
      reason: input.reason.slice(0, 80),
      amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
    };
    return refundAnswer.parse(await this.call('POST', '/v3/refund/domestic/refunds', body)).refund_id;
  }

  private async call(method: 'POST' | 'GET', path: string, payload: unknown): Promise<unknown> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const url = new URL(path, this.creds.apiBase);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        body: method === 'GET' ? undefined : body,
        headers: {
          Authorization: authorizationHeader({ mchId: this.creds.mchId, serial: this.creds.mchSerial, privateKey: this.creds.privateKey }, method, url.pathname + url.search, body, this.clock.now()),
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'User-Agent': 'zhiliao/0.1',
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new WechatPayError(502, 'wechat_pay_unreachable', `WeChat Pay could not be reached (${error instanceof Error ? error.name : 'error'}).`);
    }
    const text = await response.text();
    if (!response.ok) {
      const parsed = errorAnswer.safeParse(safeJson(text));
      const detail = parsed.success ? `${parsed.data.code ?? 'ERROR'}: ${parsed.data.message ?? ''}` : `HTTP ${response.status}`;
      throw new WechatPayError(502, 'wechat_pay_refused', `WeChat Pay refused ${path} (${detail}).`);
    }
    const timestamp = response.headers.get('wechatpay-timestamp') ?? '';
    const nonce = response.headers.get('wechatpay-nonce') ?? '';
    const signature = response.headers.get('wechatpay-signature') ?? '';
    const serial = response.headers.get('wechatpay-serial') ?? '';
    const isSerialOk = !this.creds.platformSerial || serial === this.creds.platformSerial;
    if (!timestamp || !nonce || !signature || !isSerialOk || !verifyLines(this.creds.platformPublicKey, [timestamp, nonce, text], signature)) {
      throw new WechatPayError(502, 'wechat_pay_unsigned', `WeChat Pay's answer to ${path} failed signature verification; it was ignored.`);
    }
    return safeJson(text);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
