import type { Server } from 'node:http';
import { createHttpApp, createLogger } from '../adapters/index.js';
import { resolveAdminApiToken } from './admin-token.js';
import { ConfigError, loadConfig, type Config } from './config/index.js';
import { openCoreContext, type CoreContext } from './core-context.js';
import { closeServer, onShutdownSignal } from './lifecycle.js';
import { emptyWiring, type Wiring } from './wiring.js';

export interface ProcessDefinition {
  /** Names the process in every log line. */
  name: string;
  /** A reason not to start with this configuration (checked before the database opens), if any. */
  refuse?: (config: Config) => string | undefined;
  /** The wiring steps of this process, in dependency order. */
  wire: (ctx: CoreContext, wiring: Wiring) => Promise<void>;
}

/**
 * Runs one process of Zhiliao: validates the configuration (a bad value stops the start with a
 * message naming the variable), opens the database, wires the process, serves HTTP (health,
 * metrics and the process's mounts), starts its services, logs which channels are on and why,
 * and on Ctrl-C/SIGTERM stops intake, drains the services in reverse order and closes the database.
 *
 * @example
 * runProcess({ name: 'worker', wire: async (ctx, wiring) => { await wireJobs(ctx, wiring); } });
 */
export function runProcess(definition: ProcessDefinition): void {
  start(definition).catch((error: unknown) => {
    console.error(`zhiliao ${definition.name} failed to start:`, error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

async function start(definition: ProcessDefinition): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, { process: definition.name });
  const refusal = definition.refuse?.(config);
  if (refusal) {
    logger.error({}, refusal);
    process.exit(2);
  }
  const ctx = await openCoreContext(config, logger);
  const { token: adminApiToken, source } = await resolveAdminApiToken(config.adminApiToken, config.dataDir);
  logger.info({ from: source }, 'admin API token loaded');

  const wiring = emptyWiring();
  await definition.wire(ctx, wiring);
  const { mounts, services, channels } = wiring;
  const app = createHttpApp({ logger, metrics: ctx.metrics, checkReadiness: () => ctx.database.ping(), adminApiToken, adminAuth: wiring.adminAuth, mounts, trustProxy: config.http.trustProxy });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
  });
  channels.unshift({ channel: 'http', isOn: true, reason: `listening on ${config.http.host}:${config.http.port}` });

  // Listen for Ctrl-C before starting the services, so a signal during start-up still stops what
  // has started and closes the database.
  const started: typeof services = [];
  onShutdownSignal(logger, config.shutdownTimeoutMs, async () => {
    await closeServer(server);
    for (const service of started.reverse()) await service.stop();
    // Lists shown while stopping are written before the database closes.
    await ctx.recommenderEngine.experiments.exposures.stop();
    await ctx.database.close();
  });
  for (const service of services) {
    await service.start();
    started.push(service);
  }
  for (const status of channels) logger.info({ channel: status.channel, on: status.isOn, reason: status.reason }, `channel ${status.channel}: ${status.isOn ? 'on' : 'off'}`);
}
