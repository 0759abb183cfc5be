export { WechatVirtualGateway, isGenuinePush, pushSignature, hmacHex, type WechatVirtualSettings, type WechatVirtualLookups, type VirtualOrderState } from './wechat-virtual-gateway.js';
