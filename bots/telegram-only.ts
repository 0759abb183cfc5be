import type { Server } from 'node:http';
import { createHttpApp, createLogger } from '../adapters/index.js';
import { resolveAdminApiToken } from './admin-token.js';
import { ConfigError, loadConfig } from './config/index.js';
import { openCoreContext } from './core-context.js';
import { closeServer, onShutdownSignal } from './lifecycle.js';
import { wireTelegram } from './wire-telegram.js';
import { emptyWiring } from './wiring.js';

/*
 * The Telegram-only process: the bot (long polling, or webhook on the HTTP port) and its admin
 * refund route, nothing else. `npm run start:telegram` runs this.
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
  const logger = createLogger(config.logLevel, { process: 'telegram-only' });
  if (!config.telegram.botToken) {
    logger.error({}, 'TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env');
    process.exit(2);
  }
  const ctx = await openCoreContext(config, logger);
  const { token: adminApiToken } = await resolveAdminApiToken(config.adminApiToken, config.dataDir);
  const wiring = emptyWiring();
  await wireTelegram(ctx, wiring);
  const { mounts, services, channels } = wiring;
  const app = createHttpApp({ logger, metrics: ctx.metrics, checkReadiness: () => ctx.database.ping(), adminApiToken, mounts });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
  });
  for (const service of services) await service.start();
  for (const status of channels) logger.info({ channel: status.channel, on: status.isOn, reason: status.reason }, `channel ${status.channel}: ${status.isOn ? 'on' : 'off'}`);

  onShutdownSignal(logger, config.shutdownTimeoutMs, async () => {
    await closeServer(server);
    for (const service of [...services].reverse()) await service.stop();
    await ctx.database.close();
  });
}

main().catch((error: unknown) => {
  console.error('zhiliao telegram failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
