import type { Wechaty } from 'wechaty';
import {
  BatchedDialogMemoryStore, CachedCourseCatalogue, DEFAULT_MISUNDERSTOOD_TURNS_BEFORE_HANDOFF,
  type ChatLearning, type Clock, type Course, type DialogDeps, type LanguageModel, type Logger, type RecordEventsDeps, type Recommender, type Repositories, type UnitOfWork,
} from '../../core/index.js';
import type { IntentModel } from '../../core/understanding/index.js';
import { PgDialogMemoryStore, PgHandoffRepository, PgLearningRepository, PgReplyQueue, type Db } from '../../models/index.js';
import { PgSendLogRepository } from '../../models/repositories/pg-send-log-repository.js';
import { PgWechatSendCounter } from '../../models/repositories/pg-mp-wechat-send-counter.js';
import { SendPacer } from './send-pacer.js';
import { WechatBot } from './wechat-bot.js';
import { WechatMessenger } from './wechat-messenger.js';
import { WechatReplyOutbox } from './wechat-reply-outbox.js';
import { WechatyConversations } from './wechaty-conversations.js';

export interface WechatChannelOptions {
  bot: Wechaty;
  db: Db;
  repos: Repositories;
  uow: UnitOfWork;
  clock: Clock;
  recordEventsDeps: RecordEventsDeps;
  recommender: Recommender;
  /** The understanding model, loaded at start; without it the first text message loads it. */
  intentModel?: IntentModel;
  /** The optional language model for free questions (`ctx.languageModel`). */
  languageModel?: LanguageModel;
  /** Free-text turns not understood in a row before a person takes over (0: never); the default without it. */
  misunderstoodTurnsBeforeHandoff?: number;
  logger: Logger;
  pacing: { intervalMs: number; jitterMs: number; dailyCap: number; roomSendsPerHour: number };
  friends: { autoAccept: boolean; keywords: readonly string[] };
  /** Course page URL template with `{id}` and `{slug}`, for URL link cards. */
  coursePageUrl?: string;
  miniProgram?: { appId: string; username: string };
  printQr?: boolean;
  /** Course delivery in chat (lesson links, check-ins). */
  learning?: ChatLearning;
  onError?: (where: string) => void;
}

/**
 * Assembles the WeChat channel around a wechaty instance: the paced messenger (the outbound path
 * jobs use too), the durable reply queue in front of it, and the bot that hands every update to the
 * core inbound use case. Start the outbox before the bot (it sends what a stopped process left).
 *
 * @example
 * const { bot, messenger } = createWechatChannel({ bot: WechatyBuilder.build({ puppet }), ...deps });
 */
export function createWechatChannel(options: WechatChannelOptions): { bot: WechatBot; messenger: WechatMessenger; outbox: WechatReplyOutbox; pacer: SendPacer } {
  const template = options.coursePageUrl;
  const pageOf = (course: Course) => template?.replaceAll('{id}', course.id).replaceAll('{slug}', course.slug);
  const pacer = new SendPacer({ intervalMs: options.pacing.intervalMs, jitterMs: options.pacing.jitterMs });
  const logger = options.logger.child({ channel: 'wechat' });
  const messenger = new WechatMessenger({
    conversations: new WechatyConversations(options.bot),
    sendLog: new PgSendLogRepository(options.db),
    counter: new PgWechatSendCounter(options.db),
    pacer,
    clock: options.clock,
    followers: options.repos.followers,
    limits: { dailyCap: options.pacing.dailyCap, roomSendsPerHour: options.pacing.roomSendsPerHour },
    miniProgram: options.miniProgram,
    ...(template ? { courseUrlFor: async (courseId: string) => {
      const course = await options.repos.courses.findById(courseId);
      return course ? pageOf(course) : undefined;
    } } : {}),
    logger,
  });
  const dialog: DialogDeps = {
    // Every text turn reads the on-sale catalogue (course titles for the understanding model): reused for a few seconds.
    repos: { ...options.repos, courses: new CachedCourseCatalogue(options.repos.courses, options.clock) },
    uow: options.uow,
    clock: options.clock,
    recordEventsDeps: options.recordEventsDeps,
    recommender: options.recommender,
    memory: new BatchedDialogMemoryStore(new PgDialogMemoryStore(options.db)),
    ...(options.intentModel ? { intentModel: options.intentModel } : {}),
    ...(options.languageModel ? { languageModel: options.languageModel } : {}),
    courseOutlines: new PgLearningRepository(options.db),
    ...(template ? { courseUrl: pageOf } : {}),
    handoff: { desk: new PgHandoffRepository(options.db), misunderstoodTurnsBeforeHandoff: options.misunderstoodTurnsBeforeHandoff ?? DEFAULT_MISUNDERSTOOD_TURNS_BEFORE_HANDOFF },
  };
  const outbox = new WechatReplyOutbox({ messenger, queue: new PgReplyQueue(options.db), logger, nowMs: () => options.clock.now().getTime() });
  const bot = new WechatBot({
    bot: options.bot, dialog, outbox, messenger, logger, friends: options.friends, printQr: options.printQr, onError: options.onError, ...(options.learning ? { learning: options.learning } : {}),
  });
  return { bot, messenger, outbox, pacer };
}
