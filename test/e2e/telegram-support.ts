import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { TelegramServer as TelegramServerType } from 'telegram-test-api/lib/telegramServer.js';
import express from 'express';
import type { Update } from 'telegraf/types';
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
  const recommenderEngine = buildRecommender({ db: database.db, repos, clock, logger });
  const { recommender } = recommenderEngine;
  const recordEventsDeps = { uow, clock, metrics: metrics.core };
  // Course delivery as the processes wire it (wireLearning), with a test link secret.
  const learning = { deps: createLearningDeps({ database, repos, recordEventsDeps, clock }), links: { secret: 'test-lesson-link-secret-0123456789', baseUrl: 'http://127.0.0.1:3000', ttlMs: 3_600_000 } };
  const channel = buildTelegramChannel(
    // The understanding model is loaded here, as the process loads it at start, so no turn waits for its training.
    { db: database.db, repos, uow, clock, recordEventsDeps, logger, metrics, recommender, learning, intentModel: loadIntentModel(), ...extra },
    config,
    token,
  );
  return { ...channel, repos, recommenderEngine };
}

/** The Bot API methods the telegram-test-api emulator lacks; the stand-in answers these itself. */
const STAND_IN_METHODS = new Set(['getMe', 'sendInvoice', 'answerPreCheckoutQuery', 'refundStarPayment', 'createChatInviteLink']);

/**
 * A stand-in for the Bot API methods the telegram-test-api emulator lacks (sendInvoice,
 * answerPreCheckoutQuery, refundStarPayment, createChatInviteLink): answers like Telegram over real
 * HTTP and records calls. Alone, it answers every method (sendMessage too). With `emulatorApiUrl`
 * it sits in front of the emulator: everything else is passed through to it, and it plays
 * Telegram's side of a Stars payment — {@link pay} delivers the pre-checkout query through
 * getUpdates, and once the bot accepts it, the `successful_payment` message.
 */
export async function startFakeBotApi(botId: string, options: { emulatorApiUrl?: string } = {}) {
  const calls: Array<{ method: string; body: Record<string, unknown> }> = [];
  const pending: Update[] = [];
  const checkouts = new Map<string, { user: { id: number; first_name: string; is_bot: false }; payload: string; totalAmount: number }>();
  let messageId = 100;
  let updateId = 900_000;
  const app = express();
  app.use(express.json());
  app.post('/bot:token/:method', async (req, res) => {
    const method = String(req.params['method']);
    const body = req.body as Record<string, unknown>;
    calls.push({ method, body });
    if (options.emulatorApiUrl && !STAND_IN_METHODS.has(method)) {
      const upstream = await fetch(`${options.emulatorApiUrl}/bot${req.params['token']}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await upstream.json()) as { ok: boolean; result?: unknown };
      // Telegram's side of payments reaches the bot the way every update does.
      if (method === 'getUpdates' && answer.ok) answer.result = [...(answer.result as Update[]), ...pending.splice(0)];
      return void res.status(upstream.status).json(answer);
    }
    if (method === 'getMe') return void res.json({ ok: true, result: { id: Number(botId), is_bot: true, first_name: 'Zhiliao', username: 'ZhiliaoTestBot' } });
    if (method === 'sendMessage' || method === 'sendInvoice') return void res.json({ ok: true, result: { message_id: ++messageId, date: 0, chat: { id: Number(body['chat_id']), type: 'private' } } });
    if (method === 'answerPreCheckoutQuery') {
      const checkout = checkouts.get(String(body['pre_checkout_query_id']));
      if (checkout && body['ok'] === true) {
        checkouts.delete(String(body['pre_checkout_query_id']));
        const successful_payment = { currency: 'XTR', total_amount: checkout.totalAmount, invoice_payload: checkout.payload, telegram_payment_charge_id: `stx${++updateId}`, provider_payment_charge_id: '' };
        pending.push({ update_id: ++updateId, message: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), from: checkout.user, chat: { id: checkout.user.id, first_name: checkout.user.first_name, type: 'private' }, successful_payment } } as Update);
      }
      return void res.json({ ok: true, result: true });
    }
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
  /** The user taps Pay on the last invoice sent to them: Telegram asks the bot to confirm the checkout. */
  const pay = (user: { id: number; first_name: string }) => {
    const invoice = calls.filter((c) => c.method === 'sendInvoice' && String(c.body['chat_id']) === String(user.id)).at(-1);
    if (!invoice) throw new Error(`no invoice was sent to ${user.id}`);
    const id = `pcq-${++updateId}`;
    const payload = String(invoice.body['payload']);
    const totalAmount = (invoice.body['prices'] as Array<{ amount: number }>).reduce((sum, p) => sum + p.amount, 0);
    checkouts.set(id, { user: { ...user, is_bot: false }, payload, totalAmount });
    pending.push({ update_id: updateId, pre_checkout_query: { id, from: { ...user, is_bot: false }, currency: 'XTR', total_amount: totalAmount, invoice_payload: payload } } as Update);
    return { payload, totalAmount };
  };
  return { apiRoot: `http://127.0.0.1:${port}`, calls, pay, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A message the bot sent, as the emulator stores it. */
export interface EmulatedBotMessage {
  text: string;
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>> };
}

// The package is CommonJS with `module.exports = TelegramServer`; its typings only declare a default.
const TelegramServer = createRequire(import.meta.url)('telegram-test-api') as typeof TelegramServerType;

/**
 * The real Telegram channel against the telegram-test-api emulator, with the Bot API stand-in in
 * front of it for what the emulator lacks (Stars invoices and payments, group invites), on `clock`.
 * `until(userId, match, what)` waits for the bot's next message to that user that matches (the
 * messages before it are consumed); `stop` shuts everything down except the database.
 */
export async function startEmulatedTelegram(database: Database, token: string, clock: Clock) {
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
  await server.start();
  const api = await startFakeBotApi(token.slice(0, token.indexOf(':')), { emulatorApiUrl: server.config.apiURL });
  const channel = buildTestChannel(database, testTelegramConfig(api.apiRoot), token, clock);
  await channel.service.start();
  const seen = new Map<number, EmulatedBotMessage[]>();
  /** The emulator's client getUpdates keeps polling after a timeout and can swallow replies; its route is read directly. */
  const until = async (userId: number, match: (m: EmulatedBotMessage) => boolean, what: string, timeoutMs = 10_000): Promise<EmulatedBotMessage> => {
    const deadline = Date.now() + timeoutMs;
    const mine = seen.get(userId) ?? [];
    seen.set(userId, mine);
    for (;;) {
      const response = await fetch(`${server.config.apiURL}/getUpdates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, chatId: userId }) });
      mine.push(...((await response.json()) as { result: Array<{ message: EmulatedBotMessage }> }).result.map((u) => u.message));
      const found = mine.findIndex(match);
      if (found >= 0) return mine.splice(0, found + 1).at(-1)!;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify(mine.map((m) => m.text))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    await channel.service.stop();
    await api.close();
    await server.stop();
  };
  return { server, api, channel, until, stop };
}
