import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp, type createLogger, type createMetrics } from '../adapters/index.js';
import type { buildTelegramChannel } from '../bots/wire-telegram.js';
import type { Database } from '../models/index.js';

/**
 * Starts a Telegram channel and serves its webhook on the real express app at a free port of
 * 127.0.0.1, as the processes mount it; for the scripts that drive the bot through HTTP.
 *
 * @example
 * const { server, url } = await serveTelegramWebhook(channel, { database, logger, metrics, webhookPath: '/telegram/webhook' });
 */
export async function serveTelegramWebhook(
  channel: ReturnType<typeof buildTelegramChannel>,
  options: { database: Database; logger: ReturnType<typeof createLogger>; metrics: ReturnType<typeof createMetrics>; webhookPath: string },
): Promise<{ server: Server; url: string }> {
  await channel.service.start();
  const { database, logger, metrics } = options;
  const app = createHttpApp({ logger, metrics, checkReadiness: () => database.ping(), adminApiToken: randomBytes(24).toString('hex'), mounts: channel.mounts });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.webhookPath}` };
}
