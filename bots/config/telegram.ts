import { z } from 'zod';
import { envInt, envOptional, envUrl } from './env-schema.js';

/** Telegram channel settings. Every variable is documented in .env.example. */
export const telegramEnvSchema = z.object({
  TELEGRAM_BOT_TOKEN: envOptional().refine((v) => v === undefined || /^\S{10,}$/.test(v), { message: 'expected the token BotFather gave you (123456:ABC…)' }),
  TELEGRAM_MODE: z.enum(['polling', 'webhook'], { message: 'expected polling or webhook' }).default('polling'),
  TELEGRAM_API_ROOT: envUrl(/^https?:\/\//, 'expected an http(s) URL such as https://api.telegram.org').transform((v) => v ?? 'https://api.telegram.org'),
  TELEGRAM_WEBHOOK_SECRET: envOptional().refine((v) => v === undefined || /^[A-Za-z0-9_-]{16,256}$/.test(v), {
    message: 'expected 16–256 characters from A-Z, a-z, 0-9, _ and - (Telegram secret_token rules)',
  }),
  TELEGRAM_WEBHOOK_URL: envUrl(/^https:\/\//, 'expected the public https URL Telegram should post updates to'),
  TELEGRAM_WEBHOOK_PATH: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'expected a path such as /telegram/webhook').default('/telegram/webhook'),
  TELEGRAM_RATE_GLOBAL_PER_SECOND: envInt(30, 1, 100_000),
  TELEGRAM_RATE_PRIVATE_CHAT_PER_SECOND: envInt(1, 1, 100_000),
  TELEGRAM_RATE_GROUP_PER_MINUTE: envInt(20, 1, 1_000_000),
});

export function toTelegramConfig(env: z.output<typeof telegramEnvSchema>) {
  return {
    telegram: {
      botToken: env.TELEGRAM_BOT_TOKEN,
      mode: env.TELEGRAM_MODE,
      apiRoot: env.TELEGRAM_API_ROOT,
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
      webhookUrl: env.TELEGRAM_WEBHOOK_URL,
      webhookPath: env.TELEGRAM_WEBHOOK_PATH,
      rateLimits: {
        globalPerSecond: env.TELEGRAM_RATE_GLOBAL_PER_SECOND,
        privateChatPerSecond: env.TELEGRAM_RATE_PRIVATE_CHAT_PER_SECOND,
        groupPerMinute: env.TELEGRAM_RATE_GROUP_PER_MINUTE,
      },
    },
  };
}

export type TelegramConfig = ReturnType<typeof toTelegramConfig>['telegram'];
