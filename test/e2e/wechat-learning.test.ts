import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { WechatyBuilder } from 'wechaty';
import { mock } from 'wechaty-puppet-mock';
import { sql } from 'drizzle-orm';
import { createWechatChannel, type WechatBot, type WechatReplyOutbox } from '../../adapters/wechat/index.js';
import { createLogger, createMetrics } from '../../adapters/index.js';
import { reminderMessengers } from '../../bots/wire-jobs.js';
import { createLearningDeps } from '../../bots/wire-learning.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { wechatPaidDelivery } from '../../bots/wire-wechat.js';
import { courseInputSchema, sendLessonReminders, type ChatLearning, type Repositories } from '../../core/index.js';
import { loadIntentModel } from '../../core/understanding/index.js';
import { createRepositories, PgLearningRepository, PgLessonReminderRepository, PgUnitOfWork, queryRows, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { RecordingPuppetMock, until } from './wechat-support.js';
import { TestClock } from '../support/http.js';
import { createMpTestApp } from '../integration/mp/mp-app.js';
import { code2SessionServer, listen, paymentNotification, rsaKeys, successfulTransaction, wechatPayServer } from '../integration/mp/wechat-fakes.js';

const DAY = 86_400_000;
// 12:00 in Shanghai on purchase day.
const BOUGHT_AT = new Date('2026-03-02T04:00:00Z');

/*
 * WeChat learning on one database: the mini-program's WeChat Pay notification delivers through
 * the bot's reply queue (as wireWechat wires it), and the worker's reminders — a process without
 * the WeChat session — are handed to the process running the wechaty bot (here with the mock
 * puppet) through reply_queue.
 */
describe.each(testTargets())('WeChat learning after a WeChat Pay order, with wechaty-puppet-mock, on %s', (target) => {
  let database: Database;
  let repos: Repositories;
  let bot: ReturnType<typeof WechatyBuilder.build>;
  let wechat: WechatBot;
  let outbox: WechatReplyOutbox;
  let puppet: RecordingPuppetMock;
  let mocker: mock.Mocker;
  let self: mock.ContactMock;
  let app: Express;
  let servers: Server[];
  let learning: ChatLearning;
  let courseId: string;
  const clock = new TestClock(BOUGHT_AT);
  const platform = rsaKeys();
  const merchant = rsaKeys();
  const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
  const errors: string[] = [];
  let buyer: mock.ContactMock;
  let texts: string[];

  beforeAll(async () => {
    database = await openTestDatabase(target);
    repos = createRepositories(database.db);
    const uow = new PgUnitOfWork(database.db);
    const recordEventsDeps = { uow, clock, metrics: createMetrics().core };
    // A drip course (a lesson a day) with a Telegram learners' group: a WeChat buyer must not get its invite.
    await repos.courses.insertMissing([courseInputSchema.parse({
      slug: 'wx-drip', titleZh: '微信打卡课', titleEn: 'WeChat drip course', priceMinor: 4990, status: 'on_sale', pacing: { kind: 'drip', everyDays: 1 }, telegramChatId: '-1001234567890',
    })]);
    courseId = (await repos.courses.findBySlug('wx-drip'))!.id;
    const content = new PgLearningRepository(database.db);
    const chapter = await content.createChapter(courseId, { titleZh: '入门', titleEn: 'Start' });
    for (const n of [1, 2]) {
      await content.createLesson(chapter.id, { titleZh: `第${n}讲`, titleEn: `Part ${n}`, bodyZh: '正文', bodyEn: 'Text', media: null, attachmentRef: null, estimatedMinutes: 10, isFreePreview: false });
    }
    learning = {
      deps: createLearningDeps({ database, repos, recordEventsDeps, clock }),
      links: { secret: 'test-lesson-link-secret-0123456789', baseUrl: 'https://learn.example', ttlMs: 7 * DAY },
      reminders: new PgLessonReminderRepository(database.db),
    };

    mocker = new mock.Mocker();
    puppet = new RecordingPuppetMock({ mocker });
    bot = WechatyBuilder.build({ puppet });
    ({ bot: wechat, outbox } = createWechatChannel({
      bot, db: database.db, repos, uow, clock, recordEventsDeps,
      recommender: buildRecommender({ db: database.db, repos, clock, logger }).recommender,
      intentModel: loadIntentModel(),
      logger,
      pacing: { intervalMs: 0, jitterMs: 0, dailyCap: 1000, roomSendsPerHour: 100 },
      friends: { autoAccept: true, keywords: [] },
      printQr: false,
      // The WeChat process looks for handed-off replies often here, so the test does not wait 30 s.
      replyLease: { leaseMs: 60_000, checkEveryMs: 50 },
      learning,
      onError: (where) => (where === 'puppet' ? undefined : errors.push(where)),
    }));
    await outbox.start();
    await wechat.start();
    self = mocker.createContact({ name: '知了助手' });
    mocker.login(self);
    await until(() => bot.isLoggedIn, 'login');

    const code2Session = code2SessionServer();
    const pay = wechatPayServer(merchant.publicKey, platform.privateKey);
    servers = [code2Session.server, pay.server];
    const [wechatBase, payBase] = await Promise.all(servers.map(listen));
    ({ app } = createMpTestApp(database, {
      clock, code2SessionBase: wechatBase, pay: { apiBase: payBase!, merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey },
      onPaid: wechatPaidDelivery({ learning, followers: repos.followers, outbox }),
    }));
  });
  afterAll(async () => {
    outbox.stop();
    await wechat.stop();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await database.close();
  });

  const inbox = (contact: mock.ContactMock) => {
    const texts: string[] = [];
    (contact as unknown as { on(event: 'message', listener: (message: mock.MessageMock) => void): void }).on('message', (message) => {
      if (message.payload.talkerId === self.id && message.payload.text) texts.push(message.payload.text);
    });
    return texts;
  };

  it('sends the lessons to the WeChat chat after a mini-program payment, with no Telegram invite; "1" marks done and "下一课" shows what is next', async () => {
    buyer = mocker.createContact({ name: '小王' });
    texts = inbox(buyer);
    buyer.say('你好').to(self);
    await until(() => texts.length > 0, 'greeting answered');
    const follower = (await repos.followers.findByIdentity('wechat', buyer.id))!;

    // The mini-program login carries the unionid the bot knows the contact by: the same follower (200: not new).
    const login = await request(app).post('/mp/login').send({ code: `ok:o-${randomUUID()}:${buyer.id}` }).expect(200);
    expect(login.body.follower.id).toBe(follower.id);
    const order = await request(app).post('/mp/orders').set('Authorization', `Bearer ${login.body.token}`).send({ courseId }).expect(201);
    const orderId = order.body.order.id as string;
    const tx = successfulTransaction(orderId, 4990, 'o', { at: clock.now() });
    const before = texts.length;
    const notification = paymentNotification(platform.privateKey, tx, { now: clock.now() });
    await request(app).post('/mp/pay/notify').set(notification.headers).send(notification.body).expect(204);
    // A redelivery of the notification delivers nothing twice.
    const again = paymentNotification(platform.privateKey, tx, { now: clock.now() });
    await request(app).post('/mp/pay/notify').set(again.headers).send(again.body).expect(204);

    const options = await until(() => texts.slice(before).find((t) => t.includes('回复数字选择')), 'the next lesson with its options');
    const delivered = texts.slice(before);
    expect(delivered[0]).toBe('支付成功，谢谢！「微信打卡课」已开通，现在就可以开始学习。');
    expect(delivered.find((t) => t.includes('学习进度'))).toMatch(/《微信打卡课》学习进度 0%[\s\S]*▶️ 第1课 第1讲[\s\S]*🔒 第2课 第2讲/);
    expect(options).toMatch(/继续学习：第1讲[\s\S]*· 打开本课: https:\/\/learn\.example\/learn\/[0-9a-f]{64}[\s\S]*1\. 学完了\n2\. 打卡/);
    expect(puppet.urlLinks.filter((l) => l.conversationId === buyer.id).map((l) => l.payload.title)).toEqual(['继续学习：第1讲']);
    // The course has a Telegram group, but this buyer paid on WeChat: no invite.
    expect(delivered.some((t) => t.includes('学员群') || t.includes('t.me/'))).toBe(false);
    const handedOff = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from sends where platform = 'wechat' and follower_id = ${follower.id} and purpose = 'transactional'`);
    expect(handedOff[0]!.n).toBeGreaterThanOrEqual(1);

    // "1": lesson 1 done (the numbered option), lesson 2 still locked until tomorrow.
    const beforeDone = texts.length;
    buyer.say('1').to(self);
    const progress = await until(() => texts.slice(beforeDone).find((t) => t.includes('学习进度 50%')), 'lesson 1 done');
    expect(progress).toMatch(/✅ 第1课 第1讲[\s\S]*🔒 第2课 第2讲/);
    const completed = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where follower_id = ${follower.id} and kind = 'lesson_complete' and platform = 'wechat'`);
    expect(completed[0]!.n).toBe(1);
    const nextOpens = await until(() => texts.slice(beforeDone).find((t) => t.startsWith('下一课将在')), 'when the next lesson opens');
    expect(nextOpens).toContain('2026年3月3日');

    // "下一课" in words: the course in progress, without naming it.
    const beforeNext = texts.length;
    buyer.say('下一课').to(self);
    expect(await until(() => texts.slice(beforeNext).find((t) => t.includes('学习进度')), 'next lesson in words')).toMatch(/《微信打卡课》学习进度 50%/);
    expect(errors).toEqual([]);
  });

  it('sends a WeChat lesson reminder from a process without the WeChat session (the worker), through the hand-off', async () => {
    const before = texts.length;
    // The next day at 23:00 in Shanghai: lesson 2 opened at noon, the follower's hour has come.
    clock.set(new Date(BOUGHT_AT.getTime() + DAY + 11 * 3_600_000));
    const run = () =>
      sendLessonReminders(
        {
          learning: learning.deps, reminders: new PgLessonReminderRepository(database.db), events: repos.events, quietHours: async () => ({ start: '23:59', end: '00:00' }),
          // As the worker wires it: no WeChat messenger of its own, a bot elsewhere.
          messengers: reminderMessengers({ isWechatBotEnabled: true, db: database.db }, new Map()),
          links: learning.links, logger,
        },
        { stalledAfterDays: 3, dailyLimit: 2, leaseMs: 600_000, fallbackHour: 20, pageSize: 100 },
      );
    expect(await run()).toMatchObject({ sent: 1, no_messenger: 0 });
    const reminder = await until(() => texts.slice(before).find((t) => t.includes('已经解锁')), 'the reminder in WeChat');
    expect(reminder).toMatch(/📖 《微信打卡课》第2课「第2讲」已经解锁[\s\S]*· 打开本课: https:\/\/learn\.example\/learn\/[\s\S]*1\. 学完了\n2\. 不要提醒/);
    // Reminded of what opened: a second run has nothing new to say.
    expect(await run()).toMatchObject({ sent: 0, nothing_to_remind: 1 });
    // The WeChat process sent the handed-off row and removed it; its send is in the log.
    await until(async () => ((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from reply_queue`))[0]!.n === 0 ? true : undefined), 'queue drained');
    const sends = await queryRows<{ status: string }>(database.db, sql`select status from sends where platform = 'wechat' and purpose = 'service'`);
    expect(sends).toEqual([{ status: 'sent' }]);
    expect(errors).toEqual([]);
  });
});
