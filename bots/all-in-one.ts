import type { Server } from 'node:http';
import { createCoreApiRouter, createHttpApp, createLogger } from '../adapters/index.js';
import { resolveAdminApiToken } from './admin-token.js';
import { ConfigError, loadConfig } from './config/index.js';
import { openCoreContext } from './core-context.js';
import { closeServer, onShutdownSignal } from './lifecycle.js';
import { emptyWiring } from './wiring.js';
import { wireRecommender } from './wire-recommender.js';
import { wireWechat } from './wire-wechat.js';
import { wireTelegram } from './wire-telegram.js';
import { wireConsole } from './wire-console.js';
import { wireJobs } from './wire-jobs.js';

/*
 * The all-in-one process: HTTP API, bots whose tokens are set, and the job scheduler, on one
 * database. `npm start` runs this.
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
  const logger = createLogger(config.logLevel, { process: 'all-in-one' });
  const ctx = await openCoreContext(config, logger);
  const { token: adminApiToken, source: tokenSource } = await resolveAdminApiToken(config.adminApiToken, config.dataDir);
  logger.info({ from: tokenSource }, 'admin API token loaded');

  const api = createCoreApiRouter({ recordEventsDeps: ctx.recordEventsDeps, ...ctx.repos, clock: ctx.clock });
  const wiring = emptyWiring();
  wiring.mounts.push({ path: '/api', router: api, access: 'admin' });
  wiring.channels.push({ channel: 'http', isOn: true, reason: `listening on ${config.http.host}:${config.http.port}` });
  // Wiring steps, in dependency order (recommender → chat channels → jobs → console), go here.
  await wireRecommender(ctx, wiring);
  await wireTelegram(ctx, wiring);
  await wireWechat(ctx, wiring);
  await wireJobs(ctx, wiring);
  await wireConsole(ctx, wiring);

  const { mounts, services, channels } = wiring;

  const app = createHttpApp({ logger, metrics: ctx.metrics, checkReadiness: () => ctx.database.ping(), adminApiToken, adminAuth: wiring.adminAuth, mounts });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
  });
  for (const service of services) {
    await service.start();
  }
  for (const status of channels) logger.info({ channel: status.channel, on: status.isOn, reason: status.reason }, `channel ${status.channel}: ${status.isOn ? 'on' : 'off'}`);

  onShutdownSignal(logger, config.shutdownTimeoutMs, async () => {
    await closeServer(server);
    for (const service of [...services].reverse()) await service.stop();
    await ctx.database.close();
  });
}

main().catch((error: unknown) => {
  console.error('zhiliao failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
