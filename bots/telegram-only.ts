import { runProcess } from './run-process.js';
import { wireTelegram } from './wire-telegram.js';

/*
 * The Telegram-only process: the bot (long polling, or webhook on the HTTP port) and its admin
 * refund route, nothing else. `npm run start:telegram` runs this.
 */
runProcess({
  name: 'telegram-only',
  refuse: (config) => (config.telegram.botToken ? undefined : 'TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env'),
  wire: wireTelegram,
});
