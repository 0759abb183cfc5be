import type { Server } from 'node:http';
import { createServer } from 'node:net';
import express from 'express';
import { createLogger } from '../../adapters/index.js';
import { systemClock, type Clock, type LanguageModel } from '../../core/index.js';
import { loadIntentModel } from '../../core/understanding/index.js';
import { createRepositories, PgUnitOfWork, type Database } from '../../models/index.js';
import { buildTelegramChannel } from '../../bots/wire-telegram.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { createLearningDeps } from '../../bots/wire-learning.js';
import type { TelegramConfig } from '../../bots/config/telegram.js';
import { createMetrics } from '../../adapters/index.js';

/** A TCP port nobody listens on right now (the emulator needs a fixed port for its apiURL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Telegram config for tests: limits lifted so tests do not wait a second between replies. */
export function testTelegramConfig(apiRoot: string, overrides: Partial<TelegramConfig> = {}): TelegramConfig {
  return {
    botToken: undefined,
    mode: 'polling',
    apiRoot,
    webhookSecret: undefined,
    webhookUrl: undefined,
    webhookPath: '/telegram/webhook',
    rateLimits: { globalPerSecond: 1000, privateChatPerSecond: 100, groupPerMinute: 1000 },
    ...overrides,
  };
}

/** The real Telegram channel over a test database, as the process wires it. */
export function buildTestChannel(database: Database, config: TelegramConfig, token: string, clock: Clock = systemClock, extra: { languageModel?: LanguageModel } = {}) {
  const metrics = createMetrics();
  const uow = new PgUnitOfWork(database.db);
  const repos = createRepositories(database.db);
  const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
  const { recommender } = buildRecommender({ db: database.db, repos, clock, logger });
  const recordEventsDeps = { uow, clock, metrics: metrics.core };
  // Course delivery as the processes wire it (wireLearning), with a test link secret.
  const learning = { deps: createLearningDeps({ database, repos, recordEventsDeps, clock }), links: { secret: 'test-lesson-link-secret-0123456789', baseUrl: 'http://127.0.0.1:3000', ttlMs: 3_600_000 } };
  const channel = buildTelegramChannel(
    // The understanding model is loaded here, as the process loads it at start, so no turn waits for its training.
    { db: database.db, repos, uow, clock, recordEventsDeps, logger, metrics, recommender, learning, intentModel: loadIntentModel(), ...extra },
    config,
    token,
  );
  return { ...channel, repos };
}

/**
 * A stand-in for the Bot API methods the telegram-test-api emulator lacks (sendInvoice,
 * answerPreCheckoutQuery, refundStarPayment, createChatInviteLink): answers like Telegram over real
 * HTTP and records calls.
 */
export async function startFakeBotApi(botId: string) {
  const calls: Array<{ method: string; body: Record<string, unknown> }> = [];
  let messageId = 100;
  const app = express();
  app.use(express.json());
  app.post('/bot:token/:method', (req, res) => {
    const method = String(req.params['method']);
    const body = req.body as Record<string, unknown>;
    calls.push({ method, body });
    if (method === 'getMe') return void res.json({ ok: true, result: { id: Number(botId), is_bot: true, first_name: 'Zhiliao', username: 'ZhiliaoTestBot' } });
    if (method === 'sendMessage' || method === 'sendInvoice') return void res.json({ ok: true, result: { message_id: ++messageId, date: 0, chat: { id: Number(body['chat_id']), type: 'private' } } });
    if (method === 'createChatInviteLink') {
      const creator = { id: Number(botId), is_bot: true, first_name: 'Zhiliao' };
      const invite = { invite_link: `https://t.me/+invite${calls.length}`, creator, creates_join_request: false, is_primary: false, is_revoked: false, name: body['name'], member_limit: body['member_limit'] };
      return void res.json({ ok: true, result: invite });
    }
    return void res.json({ ok: true, result: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { apiRoot: `http://127.0.0.1:${port}`, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
