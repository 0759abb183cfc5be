import { createCipheriv, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../core/index.js';
import { AUTH_SCHEMA, signLines, verifyLines } from '../wechat-pay/signing.js';
import type { WechatPayCredentials } from '../wechat-pay/wechat-pay-client.js';

interface Prepay {
  prepayId: string;
  outTradeNo: string;
  totalFen: number;
  openId: string;
  notifyUrl: string;
  appId: string;
  mchId: string;
  /** Set once paid: the same transaction id on every (re)delivery. */
  transactionId?: string;
  refundedFen: number;
}

/**
 * A local stand-in for WeChat Pay API v3 (and the code2session login) for development and tests:
 * keys are generated at start; it checks the merchant's `Authorization` signature on every call as
 * WeChat does, signs every answer with its platform key, and pays a prepay by sending the signed,
 * AES-256-GCM-encrypted notification to the prepay's `notify_url`, so the real client and the real
 * notification verifier run unchanged. No money moves. Never started in production.
 *
 * @example
 * const sandbox = new SandboxWechatPay(clock); await sandbox.start();
 * const creds = sandbox.credentials('http://127.0.0.1:3000/mp/pay/notify');
 * await sandbox.pay(outTradeNo); // → POST notify_url, answered 204
 */
export class SandboxWechatPay {
  readonly appId = 'wxsandbox0000000001';
  readonly mchId = '1900000109';
  readonly mchSerial = randomBytes(20).toString('hex').toUpperCase();
  readonly platformSerial = randomBytes(20).toString('hex').toUpperCase();
  readonly apiV3Key = randomBytes(16).toString('hex');
  private readonly merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly prepays = new Map<string, Prepay>();
  private server: Server | undefined;
  private base = '';

  constructor(private readonly clock: Clock) {}

  /** Listens on 127.0.0.1 (a free port) and returns its base URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The merchant credentials our WeChat Pay client uses against this sandbox. */
  credentials(notifyUrl: string): WechatPayCredentials {
    return {
      apiBase: this.base, appId: this.appId, mchId: this.mchId, mchSerial: this.mchSerial, privateKey: this.merchant.privateKey,
      platformPublicKey: this.platform.publicKey, platformSerial: this.platformSerial, apiV3Key: this.apiV3Key, notifyUrl,
    };
  }

  /** What `/mp/pay/notify` verifies notifications with. */
  get notificationKeys(): { platformPublicKey: KeyObject; platformSerial: string; apiV3Key: string; mchId: string; appId: string } {
    return { platformPublicKey: this.platform.publicKey, platformSerial: this.platformSerial, apiV3Key: this.apiV3Key, mchId: this.mchId, appId: this.appId };
  }

  /**
   * The payer pays: a `TRANSACTION.SUCCESS` notification for the prepay of `outTradeNo` is signed,
   * encrypted and posted to its notify_url (again with a new nonce when called again: a redelivery).
   * Returns the HTTP status our server answered, or null when there is no such prepay.
   */
  async pay(outTradeNo: string): Promise<{ status: number; transactionId: string } | null> {
    const prepay = [...this.prepays.values()].find((p) => p.outTradeNo === outTradeNo);
    if (!prepay) return null;
    prepay.transactionId ??= `4200${randomBytes(12).toString('hex')}`;
    const transaction = {
      appid: prepay.appId, mchid: prepay.mchId, out_trade_no: prepay.outTradeNo, transaction_id: prepay.transactionId, trade_type: 'JSAPI', trade_state: 'SUCCESS',
      trade_state_desc: '支付成功', bank_type: 'OTHERS', success_time: this.clock.now().toISOString(), payer: { openid: prepay.openId },
      amount: { total: prepay.totalFen, payer_total: prepay.totalFen, currency: 'CNY', payer_currency: 'CNY' },
    };
    const nonce = randomBytes(6).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(this.apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    cipher.setAAD(Buffer.from('transaction', 'utf8'));
    const encrypted = Buffer.concat([cipher.update(JSON.stringify(transaction), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const body = JSON.stringify({
      id: randomUUID(), create_time: this.clock.now().toISOString(), event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', summary: '支付成功',
      resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: encrypted.toString('base64'), nonce, associated_data: 'transaction', original_type: 'transaction' },
    });
    const response = await fetch(prepay.notifyUrl, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...this.signedHeaders(body) } });
    return { status: response.status, transactionId: prepay.transactionId };
  }

  private signedHeaders(body: string): Record<string, string> {
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const nonce = randomBytes(16).toString('hex');
    return { 'Wechatpay-Timestamp': timestamp, 'Wechatpay-Nonce': nonce, 'Wechatpay-Serial': this.platformSerial, 'Wechatpay-Signature': signLines(this.platform.privateKey, [timestamp, nonce, body]) };
  }

  private answer(res: ServerResponse, status: number, payload: unknown): void {
    const body = JSON.stringify(payload);
    res.writeHead(status, { 'Content-Type': 'application/json', ...this.signedHeaders(body) });
    res.end(body);
  }

  /** Checks `Authorization` as WeChat Pay does: the merchant's signature over method, path, timestamp, nonce and body. */
  private isSignedByMerchant(req: IncomingMessage, body: string): boolean {
    const header = req.headers['authorization'] ?? '';
    if (!header.startsWith(`${AUTH_SCHEMA} `)) return false;
    const fields = Object.fromEntries([...header.slice(AUTH_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (fields['mchid'] !== this.mchId || fields['serial_no'] !== this.mchSerial) return false;
    const publicKey = createPublicKey(this.merchant.privateKey);
    return verifyLines(publicKey, [req.method ?? '', req.url ?? '', fields['timestamp'] ?? '', fields['nonce_str'] ?? '', body], fields['signature'] ?? '');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.base);
    if (req.method === 'GET' && url.pathname === '/sns/jscode2session') {
      const code = url.searchParams.get('js_code') ?? '';
      if (!/^[\w-]{1,64}$/.test(code)) return this.answer(res, 200, { errcode: 40029, errmsg: 'invalid code' });
      return this.answer(res, 200, { openid: `sandbox-${code}`, session_key: randomBytes(16).toString('base64') });
    }
    if (!this.isSignedByMerchant(req, body)) return this.answer(res, 401, { code: 'SIGN_ERROR', message: 'signature verification failed' });
    const input = JSON.parse(body || '{}') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (req.method === 'POST' && url.pathname === '/v3/pay/transactions/jsapi') {
      if (input['mchid'] !== this.mchId || input['appid'] !== this.appId || !Number.isInteger(input['amount']?.total) || input['amount'].total < 1) {
        return this.answer(res, 400, { code: 'PARAM_ERROR', message: 'mchid, appid and a positive amount.total are required' });
      }
      const prepayId = `wx${randomBytes(14).toString('hex')}`;
      this.prepays.set(prepayId, {
        prepayId, outTradeNo: String(input['out_trade_no']), totalFen: input['amount'].total, openId: String(input['payer']?.openid ?? ''), notifyUrl: String(input['notify_url']),
        appId: this.appId, mchId: this.mchId, refundedFen: 0,
      });
      return this.answer(res, 200, { prepay_id: prepayId });
    }
    if (req.method === 'POST' && url.pathname === '/v3/refund/domestic/refunds') {
      const prepay = [...this.prepays.values()].find((p) => p.outTradeNo === input['out_trade_no']);
      if (!prepay?.transactionId) return this.answer(res, 404, { code: 'RESOURCE_NOT_EXISTS', message: 'order not paid' });
      const refund = Number(input['amount']?.refund);
      if (!Number.isInteger(refund) || refund < 1 || prepay.refundedFen + refund > prepay.totalFen) return this.answer(res, 400, { code: 'NOT_ENOUGH', message: 'refund exceeds what was paid' });
      prepay.refundedFen += refund;
      return this.answer(res, 200, { refund_id: `5030${randomBytes(12).toString('hex')}`, out_refund_no: input['out_refund_no'], status: 'PROCESSING' });
    }
    return this.answer(res, 404, { code: 'NOT_FOUND', message: `${req.method} ${url.pathname} is not part of the sandbox` });
  }
}
