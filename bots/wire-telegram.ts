import type { Mount, Metrics } from '../adapters/index.js';
import {
  createStarsRefundRouter, createTelegramBot, createTelegramWebhookRouter, RateLimiter, TelegramGroupInvites, TelegramMessenger, TelegramStarsGateway, UpdateProcessor, botIdOf,
  telegramService, type Timer, type UpdatePhases,
} from '../adapters/telegram/index.js';
import {
  BatchedDialogMemoryStore, CachedCourseCatalogue, DEFAULT_MISUNDERSTOOD_TURNS_BEFORE_HANDOFF, telegramReferralLink,
  type ChatLearning, type Clock, type DialogDeps, type LanguageModel, type Logger, type Recommender, type RecordEventsDeps, type Repositories, type UnitOfWork,
} from '../core/index.js';
import { loadIntentModel, type IntentModel } from '../core/understanding/index.js';
import { PgDialogMemoryStore, PgHandoffRepository, PgLearningRepository, PgReplyQueue, PgSendLogRepository, PgTelegramUpdateRepository, type Db } from '../models/index.js';
import type { Update } from 'telegraf/types';
import type { TelegramConfig } from './config/telegram.js';
import type { CoreContext } from './core-context.js';
import type { Wiring } from './wiring.js';

export interface TelegramChannelParts {
  db: Db;
  repos: Repositories;
  uow: UnitOfWork;
  clock: Clock;
  recordEventsDeps: RecordEventsDeps;
  logger: Logger;
  metrics?: Metrics;
  /** The one recommender chain (`ctx.recommender`). */
  recommender: Recommender;
  /** Course delivery in chat (`wiring.learning`, set by wireLearning). */
  learning?: ChatLearning;
  /** The understanding model, loaded at start; without it the first text message loads it. */
  intentModel?: IntentModel;
  /** The optional language model for free questions (`ctx.languageModel`). */
  languageModel?: LanguageModel;
  /** Free-text turns not understood in a row before a person takes over (0: never); the default without it. */
  misunderstoodTurnsBeforeHandoff?: number;
  timer?: Timer;
  /** Per-update phase timings (the benchmark's profile). */
  onPhases?: (phases: UpdatePhases) => void;
}

/**
 * Builds the Telegram channel: the telegraf bot, the update processor over the dialog, the
 * rate-limited messenger, the Stars gateway and the HTTP mounts (webhook and Stars refunds).
 * The process wiring and the end-to-end tests both use it.
 *
 * @example
 * const channel = buildTelegramChannel({ db, repos, uow, clock, recordEventsDeps, logger }, config.telegram, token);
 */
export function buildTelegramChannel(parts: TelegramChannelParts, config: TelegramConfig, token: string) {
  const botId = botIdOf(token);
  const updates = new PgTelegramUpdateRepository(parts.db);
  // The chat path reads the same catalogue pages over and over: reused for a few seconds.
  const repos: Repositories = { ...parts.repos, courses: new CachedCourseCatalogue(parts.repos.courses, parts.clock) };
  const dialog: DialogDeps = {
    repos, uow: parts.uow, clock: parts.clock, recordEventsDeps: parts.recordEventsDeps, recommender: parts.recommender, checkoutProvider: 'telegram_stars',
    memory: new BatchedDialogMemoryStore(new PgDialogMemoryStore(parts.db)),
    ...(parts.intentModel ? { intentModel: parts.intentModel } : {}),
    ...(parts.languageModel ? { languageModel: parts.languageModel } : {}),
    courseOutlines: new PgLearningRepository(parts.db),
    // The bot's username is known once telegraf has called getMe (at start).
    inviteLink: (code) => (bot.botInfo?.username ? telegramReferralLink(bot.botInfo.username, code) : undefined),
    handoff: { desk: new PgHandoffRepository(parts.db), misunderstoodTurnsBeforeHandoff: parts.misunderstoodTurnsBeforeHandoff ?? DEFAULT_MISUNDERSTOOD_TURNS_BEFORE_HANDOFF },
  };
  const processorRef: { current?: UpdateProcessor } = {};
  const { bot, drain } = createTelegramBot({
    token,
    apiRoot: config.apiRoot,
    // The processor needs the messenger, which needs bot.telegram: it is created just below.
    process: async (update, answerer) => processorRef.current?.process(update, answerer),
    logger: parts.logger,
    onError: () => parts.metrics?.errors.inc({ source: 'bot', code: 'telegram_update_failed' }),
  });
  const messenger = new TelegramMessenger({
    telegram: bot.telegram,
    sendLog: new PgSendLogRepository(parts.db),
    replyQueue: new PgReplyQueue(parts.db),
    followers: parts.repos.followers,
    limiter: new RateLimiter(config.rateLimits),
    logger: parts.logger,
    ...(parts.timer ? { timer: parts.timer } : {}),
    onSent: (status) => {
      if (status !== 'sent') parts.metrics?.errors.inc({ source: 'send', code: `telegram_${status}` });
    },
  });
  const gateway = new TelegramStarsGateway({ token, apiRoot: config.apiRoot, telegramUserIdOf: (followerId) => updates.telegramUserIdOf(followerId) });
  const processor = new UpdateProcessor({
    dialog, paymentRepos: parts.repos, outbox: messenger, updates, logger: parts.logger, botId,
    get botUsername() { return bot.botInfo?.username; },
    refunds: { refundCharge: async (payment) => void (await gateway.refundCharge(payment.payerExternalId, payment.chargeId)) },
    // Buyers of a course with a private group get a one-person invite with their lessons.
    ...(parts.learning ? { learning: { ...parts.learning, groupInvites: new TelegramGroupInvites(bot.telegram) } } : {}),
    ...(parts.onPhases ? { onPhases: parts.onPhases } : {}),
  });
  processorRef.current = processor;
  // Updates in flight first (they may still queue replies and answer callbacks), then those.
  const idle = async () => {
    await drain();
    await Promise.all([processor.drain(), messenger.drain()]);
  };
  const gatewayFor = async (order: { followerId: string }) => {
    const userId = await updates.telegramUserIdOf(order.followerId);
    return new TelegramStarsGateway({ token, apiRoot: config.apiRoot, telegramUserIdOf: async () => userId });
  };
  const mounts: Mount[] = [
    { path: '/api/orders', router: createStarsRefundRouter({ repos: parts.repos, uow: parts.uow, clock: parts.clock, provider: 'telegram_stars', gatewayFor, ...(parts.recordEventsDeps.risk ? { risk: parts.recordEventsDeps.risk } : {}) }), access: 'admin' },
  ];
  if (config.mode === 'webhook') {
    if (!config.webhookSecret) throw new Error('TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET (16–256 characters of A-Z, a-z, 0-9, _ and -).');
    mounts.push({ path: config.webhookPath, router: createTelegramWebhookRouter({ secret: config.webhookSecret, handleUpdate: (update) => bot.handleUpdate(update as unknown as Update) }), access: 'public' });
  }
  const botService = telegramService({
    bot,
    drain: idle,
    mode: config.mode,
    ...(config.webhookSecret ? { webhook: { secret: config.webhookSecret, ...(config.webhookUrl ? { url: config.webhookUrl } : {}) } } : {}),
    logger: parts.logger,
  });
  // The messenger first sends what a stopped process left queued, and keeps its own replies leased.
  const service = {
    name: botService.name,
    start: async () => {
      await messenger.start();
      await botService.start();
    },
    stop: async () => {
      await botService.stop();
      messenger.stop();
    },
  };
  return { bot, botId, dialog, messenger, processor, gateway, mounts, service, updates, idle };
}

/**
 * Wires the Telegram channel into a process when TELEGRAM_BOT_TOKEN is set; otherwise reports the
 * channel off and why.
 *
 * @example
 * await wireTelegram(ctx, wiring);
 */
export async function wireTelegram(ctx: CoreContext, wiring: Wiring): Promise<void> {
  const config = ctx.config.telegram;
  if (!config.botToken) {
    wiring.channels.push({ channel: 'telegram', isOn: false, reason: 'TELEGRAM_BOT_TOKEN is not set' });
    return;
  }
  const logger = ctx.logger.child({ channel: 'telegram' });
  const channel = buildTelegramChannel(
    {
      db: ctx.database.db, repos: ctx.repos, uow: ctx.uow, clock: ctx.clock, recordEventsDeps: ctx.recordEventsDeps, logger, metrics: ctx.metrics, recommender: ctx.recommender,
      ...(wiring.learning ? { learning: wiring.learning } : {}),
      // Trained once per process, here at start, so no chat turn waits for it.
      intentModel: loadIntentModel(),
      ...(ctx.languageModel ? { languageModel: ctx.languageModel } : {}),
      misunderstoodTurnsBeforeHandoff: ctx.config.handoff.misunderstoodTurnsBeforeHandoff,
    },
    config,
    config.botToken,
  );
  wiring.messengers.set('telegram', channel.messenger);
  wiring.mounts.push(...channel.mounts);
  wiring.services.push(channel.service);
  wiring.channels.push({
    channel: 'telegram',
    isOn: true,
    reason: config.mode === 'webhook' ? `webhook at ${config.webhookPath}` : `long polling ${config.apiRoot === 'https://api.telegram.org' ? '' : `via ${config.apiRoot}`}`.trim(),
  });
}
