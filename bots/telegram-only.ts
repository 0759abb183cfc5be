import { runProcess } from './run-process.js';
import { wireRisk } from './wire-risk.js';
import { wireLearning } from './wire-learning.js';
import { wireTelegram } from './wire-telegram.js';

/*
 * The Telegram-only process: the bot (long polling, or webhook on the HTTP port), its admin
 * refund route, and the lesson links (`/learn`) and mini-program learning routes the bot's buyers
 * use. `npm run start:telegram` runs this.
 */
runProcess({
  name: 'telegram-only',
  refuse: (config) => (config.telegram.botToken ? undefined : 'TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env'),
  wire: async (ctx, wiring) => {
    await wireRisk(ctx, wiring, { withApi: false });
    // Buyers get their lessons in chat, and the lesson links need /learn on this process's port.
    await wireLearning(ctx, wiring);
    await wireTelegram(ctx, wiring);
  },
});
