import { runProcess } from './run-process.js';
import { wireJobs } from './wire-jobs.js';
import { wireLearning } from './wire-learning.js';
import { wireRecommender } from './wire-recommender.js';
import { buildTelegramChannel } from './wire-telegram.js';

/*
 * The worker process: the job scheduler (including the model retrain) and the outbox dispatcher,
 * sending through the Telegram messenger without polling for updates (chat updates belong to the
 * bot process). `npm run start:worker` runs this; run several against one PostgreSQL to scale
 * out: each cron tick fires once, and outbox rows are claimed with SKIP LOCKED.
 */
runProcess({
  name: 'worker',
  wire: async (ctx, wiring) => {
    await wireRecommender(ctx, wiring);
    const telegram = ctx.config.telegram;
    if (telegram.botToken) {
      const channel = buildTelegramChannel(
        { db: ctx.database.db, repos: ctx.repos, uow: ctx.uow, clock: ctx.clock, recordEventsDeps: ctx.recordEventsDeps, logger: ctx.logger.child({ channel: 'telegram' }), metrics: ctx.metrics, recommender: ctx.recommender },
        telegram,
        telegram.botToken,
      );
      wiring.messengers.set('telegram', channel.messenger);
      wiring.channels.push({ channel: 'telegram', isOn: true, reason: 'sending only (updates are handled by the bot process)' });
    } else {
      wiring.channels.push({ channel: 'telegram', isOn: false, reason: 'TELEGRAM_BOT_TOKEN is not set: marketing messages to Telegram followers wait in the outbox' });
    }
    // Lesson reminders are sent from here: Telegram ones directly, WeChat ones handed to the
    // process holding the WeChat session through reply_queue (reminderMessengers in wire-jobs).
    await wireLearning(ctx, wiring);
    await wireJobs(ctx, wiring);
  },
});
