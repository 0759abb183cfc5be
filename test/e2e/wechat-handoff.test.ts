import request from 'supertest';
import { WechatyBuilder, type Wechaty } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { createWechatChannel, type WechatBot } from '../../adapters/wechat/index.js';
import { createLogger, createMetrics } from '../../adapters/index.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { dialogText, systemClock, type Repositories } from '../../core/index.js';
import { loadIntentModel } from '../../core/understanding/index.js';
import { createRepositories, PgUnitOfWork, seedDemoCatalogue, type Database } from '../../models/index.js';
import { createConsoleTestApp } from '../integration/console-support.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';

const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const zh = dialogText('zh-CN');

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The hand-off reply path on WeChat: real wechaty with the official mock puppet, the paced
 * messenger and the console app of the same process. "转人工" opens a hand-off; the console's reply
 * and the closing notice reach the contact through the bot; then the bot answers again.
 */
describe.each(testTargets())('hand-off to a person on WeChat (wechaty-puppet-mock) on %s', (target) => {
  let database: Database;
  let repos: Repositories;
  let bot: Wechaty;
  let wechat: WechatBot;
  let mocker: mock.Mocker;
  let self: mock.ContactMock;
  let app: ReturnType<typeof createConsoleTestApp>;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    repos = createRepositories(database.db);
    const uow = new PgUnitOfWork(database.db);
    const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
    mocker = new mock.Mocker();
    bot = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
    const channel = createWechatChannel({
      bot, db: database.db, repos, uow, clock: systemClock,
      recordEventsDeps: { uow, clock: systemClock, metrics: createMetrics().core },
      recommender: buildRecommender({ db: database.db, repos, clock: systemClock, logger }).recommender,
      intentModel: loadIntentModel(),
      logger,
      pacing: { intervalMs: 0, jitterMs: 0, dailyCap: 1000, roomSendsPerHour: 100 },
      friends: { autoAccept: true, keywords: [] },
      printQr: false,
    });
    wechat = channel.bot;
    app = createConsoleTestApp(database, { messengers: new Map([['wechat', channel.messenger]]) });
    await wechat.start();
    self = mocker.createContact({ name: '知了助手' });
    mocker.login(self);
    await until(() => bot.isLoggedIn, 'login');
  });
  afterAll(async () => {
    await wechat.stop();
    await database.close();
  });

  const chatOf = (contact: mock.ContactMock) => {
    const texts: string[] = [];
    (contact as unknown as { on(event: 'message', listener: (message: mock.MessageMock) => void): void }).on('message', (message) => {
      if (message.payload.talkerId === self.id && message.payload.text) texts.push(message.payload.text);
    });
    return texts;
  };

  it('转人工 → the console reply and the closing notice arrive through the bot → the bot answers again', async () => {
    const friend = mocker.createContact({ name: '阿青' });
    const texts = chatOf(friend);
    friend.say('转人工').to(self);
    await until(() => texts.includes(zh.humanHandoff), 'the hand-off acknowledgement');

    const follower = (await repos.followers.findByIdentity('wechat', friend.id))!;
    const handoff = await until(async () => {
      const inbox = await request(app).get('/api/inbox').set(auth).expect(200);
      return (inbox.body.items as Array<{ id: string; followerId: string; platform: string; chatId: string }>).find((i) => i.followerId === follower.id);
    }, 'the hand-off in the inbox');
    expect(handoff).toMatchObject({ platform: 'wechat', chatId: friend.id });

    const reply = { text: '您好，我是知了客服，请问有什么可以帮您？', clientKey: 'wechat-e2e-0001' };
    const sent = await request(app).post(`/api/inbox/${handoff.id}/replies`).set(auth).send(reply).expect(201);
    expect(sent.body.message.status).toBe('sent');
    await until(() => texts.includes(reply.text), 'the staff reply in the chat');

    await request(app).post(`/api/inbox/${handoff.id}/close`).set(auth).expect(200);
    await until(() => texts.includes(zh.handoffClosed), 'the closing notice');
    expect(texts).toEqual([zh.humanHandoff, reply.text, zh.handoffClosed]);

    friend.say('有没有摄影课？').to(self);
    const answer = await until(() => texts.slice(3).find((t) => t.includes('摄影')), 'a bot answer after closing');
    expect(answer).toContain('摄影');
  });
});
