export { WechatBot, type WechatBotDeps, type LoginState } from './wechat-bot.js';
export { WechatMessenger, ROOM_PREFIX, type WechatMessengerDeps, type WechatConversation, type WechatConversations } from './wechat-messenger.js';
export { WechatyConversations } from './wechaty-conversations.js';
export { SendPacer } from './send-pacer.js';
export { renderWechatReplies, type WechatOutgoing, type Rendered } from './render-reply.js';
export { createWechatLoginQrRouter } from './login-qr-route.js';
export { createWechatChannel, type WechatChannelOptions } from './create-wechat-channel.js';
export { WechatReplyOutbox, type WechatReplyOutboxDeps } from './wechat-reply-outbox.js';
export { WechatHandoff } from './wechat-handoff.js';
