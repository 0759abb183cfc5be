export { translateUpdate, parseStartPayload, localeOf, type TranslatedUpdate, type TranslateOptions, type TelegramChat } from './translate-update.js';
export { renderReply, invoicePayload, parseInvoicePayload, type TelegramCall, type InlineButton } from './render-reply.js';
export { RateLimiter, TELEGRAM_RATE_LIMITS, type RateLimits } from './rate-limiter.js';
export { TelegramMessenger, realTimer, type Timer, type TelegramMessengerDeps } from './telegram-messenger.js';
export { UpdateProcessor, type UpdateProcessorDeps, type QueryAnswerer, type ProcessOutcome, type ReplyMessenger, type UpdatePhases } from './update-processor.js';
export { validatePreCheckout, type PreCheckoutVerdict } from './validate-pre-checkout.js';
export { TelegramStarsGateway, type TelegramStarsGatewayDeps } from './telegram-stars-gateway.js';
export { createTelegramWebhookRouter, createStarsRefundRouter } from './telegram-routers.js';
export { createTelegramBot, telegramService, botIdOf, ALLOWED_UPDATES } from './telegram-bot.js';
