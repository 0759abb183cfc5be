import { createHash } from 'node:crypto';
import { Telegraf } from 'telegraf';
import type { Logger } from '../../core/index.js';
import type { Update } from 'telegraf/types';
import type { QueryAnswerer } from './update-processor.js';

/** Updates the bot asks for; `my_chat_member` is not delivered unless named. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'pre_checkout_query'] as const;

/** The bot id is the token's numeric prefix; other tokens (emulators) get a hash, never the token itself. */
export function botIdOf(token: string): string {
  const prefix = token.split(':')[0] ?? '';
  return /^\d+$/.test(prefix) ? prefix : createHash('sha256').update(token).digest('hex').slice(0, 12);
}

/**
 * A telegraf bot whose every update goes through the processor; errors are logged and reported,
 * never dropped silently. Tracks updates in flight so stopping can drain them.
 *
 * @example
 * const { bot, drain } = createTelegramBot({ token, apiRoot, process: (update, answerer) => processor.process(update, answerer), logger });
 */
export function createTelegramBot(options: {
  token: string;
  apiRoot: string;
  process: (update: Update, answerer: QueryAnswerer) => Promise<unknown>;
  logger: Logger;
  onError?: (error: unknown) => void;
}) {
  const bot = new Telegraf(options.token, { telegram: { apiRoot: options.apiRoot }, handlerTimeout: 30_000 });
  let inFlight = 0;
  let idle: Array<() => void> = [];
  bot.use(async (ctx) => {
    inFlight++;
    try {
      await options.process(ctx.update, ctx.telegram);
    } finally {
      if (--inFlight === 0) {
        idle.forEach((resolve) => resolve());
        idle = [];
      }
    }
  });
  bot.catch((error, ctx) => {
    options.logger.error({ err: error, updateId: ctx.update.update_id }, 'telegram update failed');
    options.onError?.(error);
  });
  const drain = (): Promise<void> => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve)));
  return { bot, drain };
}

/**
 * The bot as a process service: long polling by default; in webhook mode it only registers the
 * webhook (the express app receives the updates). Stop finishes updates in flight.
 *
 * @example
 * services.push(telegramService({ bot, drain, mode: 'polling', logger }));
 */
export function telegramService(options: {
  bot: Telegraf;
  drain: () => Promise<void>;
  mode: 'polling' | 'webhook';
  webhook?: { url?: string; secret: string };
  logger: Logger;
}) {
  const { bot, logger } = options;
  let isPolling = false;
  return {
    name: 'telegram',
    async start(): Promise<void> {
      bot.botInfo ??= await bot.telegram.getMe();
      if (options.mode === 'webhook') {
        if (options.webhook?.url) {
          await bot.telegram.setWebhook(options.webhook.url, { secret_token: options.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
          logger.info({ bot: bot.botInfo.username }, 'telegram webhook registered');
        } else {
          logger.info({ bot: bot.botInfo.username }, 'telegram webhook mode: TELEGRAM_WEBHOOK_URL not set, assuming the webhook is registered already');
        }
        return;
      }
      // launch() resolves only when polling stops, so wait for its onLaunch callback instead.
      await new Promise<void>((resolve, reject) => {
        bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] }, resolve).catch(reject);
      });
      isPolling = true;
      logger.info({ bot: bot.botInfo.username }, 'telegram long polling started');
    },
    async stop(): Promise<void> {
      if (isPolling) {
        isPolling = false;
        bot.stop('shutdown');
      }
      await options.drain();
    },
  };
}
