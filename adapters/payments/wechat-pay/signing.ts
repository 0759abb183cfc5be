import { createDecipheriv, createPublicKey, createSign, createVerify, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';

/*
 * The WeChat Pay API v3 schemes, as documented (pay.weixin.qq.com, "签名生成" / "签名验证" /
 * "证书和回调报文解密"): SHA256-with-RSA signatures, base64; AEAD_AES_256_GCM with the APIv3 key,
 * ciphertext = base64(encrypted bytes ‖ 16-byte tag).
 */

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

/** Signs lines joined by `\n` with a trailing `\n`, as every v3 message is built. */
export function signLines(privateKey: KeyObject | string, lines: readonly string[]): string {
  return createSign('RSA-SHA256').update(`${lines.join('\n')}\n`).sign(privateKey, 'base64');
}

export function verifyLines(publicKey: KeyObject, lines: readonly string[], signature: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(`${lines.join('\n')}\n`).verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** A 32-character random string for nonce_str / nonceStr. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The `Authorization` header of a merchant request: the signature covers
 * `METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n`.
 *
 * @example
 * headers.Authorization = authorizationHeader({ mchId, serial, privateKey }, 'POST', '/v3/pay/transactions/jsapi', body, now);
 */
export function authorizationHeader(
  merchant: { mchId: string; serial: string; privateKey: KeyObject },
  method: string,
  pathWithQuery: string,
  body: string,
  now: Date,
  nonce = newNonce(),
): string {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = signLines(merchant.privateKey, [method, pathWithQuery, timestamp, nonce, body]);
  return `${AUTH_SCHEMA} mchid="${merchant.mchId}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${merchant.serial}"`;
}

/** The parameters of `wx.requestPayment`, paySign over `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function requestPaymentParams(appId: string, prepayId: string, privateKey: KeyObject, now: Date, nonce = newNonce()) {
  const timeStamp = String(Math.floor(now.getTime() / 1000));
  const pkg = `prepay_id=${prepayId}`;
  return { appId, timeStamp, nonceStr: nonce, package: pkg, signType: 'RSA' as const, paySign: signLines(privateKey, [appId, timeStamp, nonce, pkg]) };
}

/** An encrypted `resource` of a notification (or of the certificate download). */
export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

/** Decrypts an AEAD_AES_256_GCM resource; throws when the key, nonce, associated data or tag do not match. */
export function decryptResource(apiV3Key: string, resource: EncryptedResource): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') throw new Error(`unsupported algorithm ${resource.algorithm}`);
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= 16) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(resource.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

/** The platform's public key from a certificate PEM or a public key PEM (the newer "WeChat Pay public key"). */
export function platformPublicKey(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}
