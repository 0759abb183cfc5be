export { WechatPayClient, WechatPayError, type WechatPayCredentials } from './wechat-pay-client.js';
export { WechatPayGateway, toOutTradeNo, fromOutTradeNo } from './wechat-pay-gateway.js';
export { verifyNotification, NOTIFY_MAX_SKEW_SECONDS, type VerifiedNotification, type WechatPayTransaction, type NotificationHeaders } from './notification.js';
export { authorizationHeader, requestPaymentParams, decryptResource, platformPublicKey, signLines, verifyLines, newNonce, AUTH_SCHEMA, type EncryptedResource } from './signing.js';
