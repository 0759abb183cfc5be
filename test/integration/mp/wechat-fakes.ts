import { createCipheriv, createHmac, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toOutTradeNo } from '../../../adapters/payments/wechat-pay/index.js';

/*
 * Local stand-ins for api.weixin.qq.com (code2session) and api.mch.weixin.qq.com (WeChat Pay v3),
 * implementing the documented signature and encryption schemes with keys generated per test run.
 */

export const APP_ID = 'wx0123456789abcdef';
export const MCH_ID = '1900000109';
export const MCH_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
export const PLATFORM_SERIAL = 'PUB_KEY_ID_0114232134912410000000000000';
export const APIV3_KEY = 'a'.repeat(16) + 'B'.repeat(16);

export function rsaKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

const sign = (key: KeyObject, lines: string[]) => createSign('RSA-SHA256').update(`${lines.join('\n')}\n`).sign(key, 'base64');
export const verify = (key: KeyObject, lines: string[], signature: string) => createVerify('RSA-SHA256').update(`${lines.join('\n')}\n`).verify(key, signature, 'base64');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** code2session: `js_code` of the form `ok:<openid>[:<unionid>]`; `expired` → 40029, `used` → 40163, `busy` → -1. */
export function code2SessionServer(): { server: Server; calls: string[] } {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname !== '/sns/jscode2session' || url.searchParams.get('appid') !== APP_ID || url.searchParams.get('secret') !== 'app-secret') {
      res.end(JSON.stringify({ errcode: 40013, errmsg: 'invalid appid' }));
      return;
    }
    const code = url.searchParams.get('js_code') ?? '';
    calls.push(code);
    const [kind, openid, unionid] = code.split(':');
    if (kind === 'ok' && openid) res.end(JSON.stringify({ openid, session_key: `sk-${randomBytes(8).toString('hex')}`, ...(unionid ? { unionid } : {}) }));
    else if (code === 'used') res.end(JSON.stringify({ errcode: 40163, errmsg: 'code been used' }));
    else if (code === 'busy') res.end(JSON.stringify({ errcode: -1, errmsg: 'system error' }));
    else res.end(JSON.stringify({ errcode: 40029, errmsg: 'invalid code' }));
  });
  return { server, calls };
}

export interface PrepayCall {
  body: { appid: string; mchid: string; out_trade_no: string; amount: { total: number; currency: string }; payer: { openid: string }; notify_url: string };
  isSignatureValid: boolean;
}

/**
 * WeChat Pay v3: checks the merchant's `Authorization` signature, answers a prepay id, and signs
 * its answers with the platform key like the real API. Unsigned-request → 401 SIGN_ERROR.
 */
export function wechatPayServer(merchantPublicKey: KeyObject, platformPrivateKey: KeyObject): { server: Server; prepays: PrepayCall[] } {
  const prepays: PrepayCall[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const auth = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const fields = Object.fromEntries([...auth.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const isSignatureValid = fields['mchid'] === MCH_ID && fields['serial_no'] === MCH_SERIAL
      && verify(merchantPublicKey, [req.method ?? '', req.url ?? '', fields['timestamp'] ?? '', fields['nonce_str'] ?? '', body], fields['signature'] ?? '');
    const answer = (status: number, payload: unknown) => {
      const text = JSON.stringify(payload);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(16).toString('hex');
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Wechatpay-Timestamp': timestamp,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Serial': PLATFORM_SERIAL,
        'Wechatpay-Signature': sign(platformPrivateKey, [timestamp, nonce, text]),
      });
      res.end(text);
    };
    if (!isSignatureValid) return answer(401, { code: 'SIGN_ERROR', message: '签名错误' });
    if (req.method === 'POST' && req.url === '/v3/pay/transactions/jsapi') {
      const parsed = JSON.parse(body) as PrepayCall['body'];
      prepays.push({ body: parsed, isSignatureValid });
      return answer(200, { prepay_id: `wx${randomBytes(14).toString('hex')}` });
    }
    if (req.method === 'POST' && req.url === '/v3/refund/domestic/refunds') return answer(200, { refund_id: `50${randomBytes(10).toString('hex')}`, status: 'PROCESSING' });
    answer(404, { code: 'NOT_FOUND', message: 'no such API' });
  });
  return { server, prepays };
}

/**
 * The decrypted transaction of a successful JSAPI payment of `total` fen for an order, as WeChat Pay
 * reports it (a fresh transaction id each time); `overrides` replace any field.
 */
export function successfulTransaction(orderId: string, total: number, openId: string, options: { at?: Date; overrides?: Record<string, unknown> } = {}) {
  return {
    appid: APP_ID, mchid: MCH_ID, out_trade_no: toOutTradeNo(orderId), transaction_id: `4200${randomBytes(12).toString('hex')}`,
    trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'OTHERS', success_time: (options.at ?? new Date()).toISOString(),
    payer: { openid: openId }, amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' }, ...options.overrides,
  };
}

/** A payment notification as WeChat Pay sends it: AES-256-GCM resource, RSA-SHA256 signature headers. */
export function paymentNotification(
  platformPrivateKey: KeyObject,
  transaction: Record<string, unknown>,
  options: { now?: Date; apiV3Key?: string; eventType?: string } = {},
): { headers: Record<string, string>; body: string } {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(options.apiV3Key ?? APIV3_KEY, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from('transaction', 'utf8'));
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(transaction), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const body = JSON.stringify({
    id: randomBytes(8).toString('hex'),
    create_time: new Date().toISOString(),
    resource_type: 'encrypt-resource',
    event_type: options.eventType ?? 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: encrypted.toString('base64'), associated_data: 'transaction', nonce },
  });
  const timestamp = String(Math.floor((options.now ?? new Date()).getTime() / 1000));
  const headerNonce = randomBytes(16).toString('hex');
  return {
    headers: {
      'Content-Type': 'application/json',
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': headerNonce,
      'Wechatpay-Serial': PLATFORM_SERIAL,
      'Wechatpay-Signature': sign(platformPrivateKey, [timestamp, headerNonce, body]),
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    },
    body,
  };
}

/**
 * WeChat virtual payment's server APIs: /cgi-bin/token (this app's secret only), and /xpay/query_order
 * and /xpay/refund_order, which check the access token and `pay_sig` = hmac_sha256(appKey, uri + '&' + body)
 * like WeChat and answer from `orders` (status by out_trade_no, set by the test).
 */
export function xpayServer(appKey: string): {
  server: Server;
  orders: Map<string, { status: number; paidFee: number }>;
  calls: Array<{ uri: string; body: Record<string, unknown>; isSignatureValid: boolean }>;
} {
  const orders = new Map<string, { status: number; paidFee: number }>();
  const calls: Array<{ uri: string; body: Record<string, unknown>; isSignatureValid: boolean }> = [];
  const token = `at-${randomBytes(8).toString('hex')}`;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const text = await readBody(req);
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/cgi-bin/token') {
      const ok = url.searchParams.get('appid') === APP_ID && url.searchParams.get('secret') === 'app-secret';
      res.end(JSON.stringify(ok ? { access_token: token, expires_in: 7200 } : { errcode: 40125, errmsg: 'invalid appsecret' }));
      return;
    }
    const expected = createHmac('sha256', appKey).update(`${url.pathname}&${text}`).digest('hex');
    const isSignatureValid = url.searchParams.get('pay_sig') === expected && url.searchParams.get('access_token') === token;
    const body = JSON.parse(text || '{}') as Record<string, unknown>;
    calls.push({ uri: url.pathname, body, isSignatureValid });
    if (!isSignatureValid) return res.end(JSON.stringify({ errcode: 268435461, errmsg: 'pay_sig error' }));
    const order = orders.get(String(body['order_id']));
    if (url.pathname === '/xpay/query_order') {
      res.end(JSON.stringify(order ? { errcode: 0, order: { order_id: body['order_id'], status: order.status, paid_fee: order.paidFee, order_fee: order.paidFee, wxpay_order_id: `wx-${body['order_id']}` } } : { errcode: 268490004, errmsg: 'order not exist' }));
    } else if (url.pathname === '/xpay/refund_order') {
      if (order) order.status = 5;
      res.end(JSON.stringify(order ? { errcode: 0, refund_order_id: body['refund_order_id'], refund_wx_order_id: `wxr-${body['order_id']}` } : { errcode: 268490004, errmsg: 'order not exist' }));
    } else res.end(JSON.stringify({ errcode: 404, errmsg: 'no such api' }));
  });
  return { server, orders, calls };
}
