export { translateUpdate, parseStartPayload, localeOf, type TranslatedUpdate, type TranslateOptions } from './translate-update.js';
export { renderReply, invoicePayload, parseInvoicePayload, type TelegramCall, type InlineButton } from './render-reply.js';
export { RateLimiter, TELEGRAM_RATE_LIMITS, type RateLimits } from './rate-limiter.js';
export { TelegramMessenger, realTimer, type Timer, type TelegramMessengerDeps } from './telegram-messenger.js';
export { UpdateProcessor, type UpdateProcessorDeps, type QueryAnswerer, type ProcessOutcome, type UpdatePhases } from './update-processor.js';
export { TelegramStarsGateway, type TelegramStarsGatewayDeps } from './telegram-stars-gateway.js';
export { createTelegramWebhookRouter, createStarsRefundRouter } from './telegram-routers.js';
export { createTelegramBot, telegramService, botIdOf, ALLOWED_UPDATES } from './telegram-bot.js';
export { TelegramGroupInvites } from './telegram-group-invites.js';
