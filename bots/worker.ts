import type { Server } from 'node:http';
import { createHttpApp, createLogger } from '../adapters/index.js';
import { ConfigError, loadConfig } from './config/index.js';
import { openCoreContext } from './core-context.js';
import { closeServer, onShutdownSignal } from './lifecycle.js';
import { buildTelegramChannel } from './wire-telegram.js';
import { buildDispatcher, buildJobs, recommenderRetrain } from './wire-jobs.js';
import { CronScheduler } from '../jobs/index.js';
import { createCampaignRepositories } from '../models/repositories/pg-campaign-repositories.js';
import { hostname } from 'node:os';
import type { Messenger, Platform } from '../core/index.js';

/*
 * The worker process: the job scheduler and the outbox dispatcher, sending through the Telegram
 * messenger (no bot polling: chat updates belong to the bot process). HTTP serves only health and
 * metrics. `npm run start:worker` runs this; run several against one PostgreSQL to scale out.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, { process: 'worker' });
  const ctx = await openCoreContext(config, logger);
  const repos = createCampaignRepositories(ctx.database.db);
  const messengers = new Map<Platform, Messenger>();
  if (config.telegram.botToken) {
    const channel = buildTelegramChannel(
      { db: ctx.database.db, repos: ctx.repos, uow: ctx.uow, clock: ctx.clock, recordEventsDeps: ctx.recordEventsDeps, logger: logger.child({ channel: 'telegram' }), metrics: ctx.metrics },
      config.telegram,
      config.telegram.botToken,
    );
    messengers.set('telegram', channel.messenger);
  } else {
    logger.warn({}, 'TELEGRAM_BOT_TOKEN is not set: marketing messages to Telegram followers wait in the outbox');
  }
  const dispatcher = config.jobs.dispatch.isEnabled ? buildDispatcher(ctx, repos, messengers) : undefined;
  const scheduler = config.jobs.isEnabled
    ? new CronScheduler({
        schedules: repos.schedules,
        jobs: buildJobs(ctx, repos, recommenderRetrain(ctx)),
        logger: logger.child({ component: 'scheduler' }),
        clock: ctx.clock,
        instanceId: config.jobs.instanceId ?? `${hostname()}:${process.pid}`,
        reloadIntervalMs: config.jobs.reloadIntervalMs,
        onError: (job) => ctx.metrics.errors.inc({ source: 'cron', code: job }),
      })
    : undefined;

  const app = createHttpApp({ logger, metrics: ctx.metrics, checkReadiness: () => ctx.database.ping(), mounts: [] });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
  });
  await scheduler?.start();
  await dispatcher?.start();
  logger.info({ scheduler: Boolean(scheduler), dispatcher: Boolean(dispatcher), platforms: [...messengers.keys()] }, 'worker started');

  onShutdownSignal(logger, config.shutdownTimeoutMs, async () => {
    await closeServer(server);
    await scheduler?.stop();
    await dispatcher?.stop();
    await ctx.database.close();
  });
}

main().catch((error: unknown) => {
  console.error('zhiliao worker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
