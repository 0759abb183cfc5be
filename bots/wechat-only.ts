import type { Server } from 'node:http';
import { createHttpApp, createLogger } from '../adapters/index.js';
import { resolveAdminApiToken } from './admin-token.js';
import { ConfigError, loadConfig } from './config/index.js';
import { openCoreContext } from './core-context.js';
import { closeServer, onShutdownSignal } from './lifecycle.js';
import { wireWechat } from './wire-wechat.js';
import { emptyWiring } from './wiring.js';

/*
 * The WeChat process: the wechaty bot (when WECHAT_BOT_ENABLED=true) and the mini-program API at
 * /mp, with the admin login-QR route. `npm run start:wechat` runs this.
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
  const logger = createLogger(config.logLevel, { process: 'wechat-only' });
  const ctx = await openCoreContext(config, logger);
  const { token: adminApiToken } = await resolveAdminApiToken(config.adminApiToken, config.dataDir);
  const wiring = emptyWiring();
  await wireWechat(ctx, wiring);
  const app = createHttpApp({ logger, metrics: ctx.metrics, checkReadiness: () => ctx.database.ping(), adminApiToken, mounts: wiring.mounts });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
  });
  for (const service of wiring.services) await service.start();
  for (const status of wiring.channels) logger.info({ channel: status.channel, on: status.isOn, reason: status.reason }, `channel ${status.channel}: ${status.isOn ? 'on' : 'off'}`);

  onShutdownSignal(logger, config.shutdownTimeoutMs, async () => {
    await closeServer(server);
    for (const service of [...wiring.services].reverse()) await service.stop();
    await ctx.database.close();
  });
}

main().catch((error: unknown) => {
  console.error('zhiliao (wechat) failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
