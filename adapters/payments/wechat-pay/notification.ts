import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { decryptResource, verifyLines } from './signing.js';

/** How old (or how far in the future) a notification's Wechatpay-Timestamp may be. */
export const NOTIFY_MAX_SKEW_SECONDS = 300;

const envelope = z.object({
  id: z.string().min(1),
  create_time: z.string().optional(),
  event_type: z.string().min(1),
  resource_type: z.string().optional(),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
  summary: z.string().optional(),
});

const transaction = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string().min(1),
  trade_state: z.string(),
  success_time: z.string().optional(),
  amount: z.object({ total: z.number().int().nonnegative(), payer_total: z.number().int().optional(), currency: z.string() }),
  payer: z.object({ openid: z.string() }).partial().optional(),
});
export type WechatPayTransaction = z.infer<typeof transaction>;

export type VerifiedNotification =
  | { ok: true; eventType: string; notificationId: string; nonce: string; transaction: WechatPayTransaction | null }
  | { ok: false; status: number; reason: string };

export interface NotificationHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
  serial?: string;
}

/**
 * Checks a payment notification as WeChat Pay documents it, in this order: all headers present,
 * timestamp within 5 minutes, serial is our platform key's (when configured), RSA-SHA256 signature
 * over `timestamp\nnonce\nbody\n` of the raw body, then the envelope, then AES-256-GCM decryption
 * of the resource, then the transaction belongs to our merchant and app. Pure: no state.
 *
 * @example
 * const verdict = verifyNotification({ platformPublicKey, apiV3Key, mchId, appId }, headers, req.rawBody, new Date());
 */
export function verifyNotification(
  keys: { platformPublicKey: KeyObject; platformSerial?: string; apiV3Key: string; mchId: string; appId: string },
  headers: NotificationHeaders,
  rawBody: Buffer | undefined,
  now: Date,
): VerifiedNotification {
  const { timestamp, nonce, signature, serial } = headers;
  if (!timestamp || !nonce || !signature || !rawBody) return { ok: false, status: 400, reason: 'missing Wechatpay-* headers or body' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, status: 400, reason: 'malformed Wechatpay-Timestamp' };
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > NOTIFY_MAX_SKEW_SECONDS) return { ok: false, status: 400, reason: 'stale Wechatpay-Timestamp' };
  if (keys.platformSerial && serial !== keys.platformSerial) return { ok: false, status: 401, reason: 'unknown Wechatpay-Serial' };
  const body = rawBody.toString('utf8');
  if (!verifyLines(keys.platformPublicKey, [timestamp, nonce, body], signature)) return { ok: false, status: 401, reason: 'bad signature' };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, status: 400, reason: 'body is not JSON' };
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return { ok: false, status: 400, reason: 'unexpected notification shape' };
  if (parsed.data.event_type !== 'TRANSACTION.SUCCESS') {
    return { ok: true, eventType: parsed.data.event_type, notificationId: parsed.data.id, nonce, transaction: null };
  }
  let plain: string;
  try {
    plain = decryptResource(keys.apiV3Key, parsed.data.resource);
  } catch {
    return { ok: false, status: 400, reason: 'resource could not be decrypted' };
  }
  const tx = transaction.safeParse(safeJson(plain));
  if (!tx.success) return { ok: false, status: 400, reason: 'unexpected transaction shape' };
  if (tx.data.mchid !== keys.mchId || tx.data.appid !== keys.appId) return { ok: false, status: 400, reason: 'transaction is for another merchant or app' };
  return { ok: true, eventType: parsed.data.event_type, notificationId: parsed.data.id, nonce, transaction: tx.data };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
