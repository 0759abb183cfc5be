import { WechatyBuilder, types, type Wechaty } from 'wechaty';
import { mock } from 'wechaty-puppet-mock';
import { sql } from 'drizzle-orm';
import { createWechatChannel, type WechatBot } from '../../adapters/wechat/index.js';
import { createLogger, createMetrics } from '../../adapters/index.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { systemClock, type Repositories } from '../../core/index.js';
import { loadIntentModel } from '../../core/understanding/index.js';
import { createRepositories, PgUnitOfWork, queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { RecordingPuppetMock, until } from './wechat-support.js';

describe.each(testTargets())('WeChat bot end to end with wechaty-puppet-mock on %s', (target) => {
  let database: Database;
  let repos: Repositories;
  let bot: Wechaty;
  let wechat: WechatBot;
  let puppet: RecordingPuppetMock;
  let mocker: mock.Mocker;
  let self: mock.ContactMock;
  const errors: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    repos = createRepositories(database.db);
    const uow = new PgUnitOfWork(database.db);
    const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
    mocker = new mock.Mocker();
    puppet = new RecordingPuppetMock({ mocker });
    bot = WechatyBuilder.build({ puppet });
    ({ bot: wechat } = createWechatChannel({
      bot, db: database.db, repos, uow, clock: systemClock,
      recordEventsDeps: { uow, clock: systemClock, metrics: createMetrics().core },
      recommender: buildRecommender({ db: database.db, repos, clock: systemClock, logger }).recommender,
      // Loaded here, as the process loads it at start, so no turn waits for its training.
      intentModel: loadIntentModel(),
      logger,
      pacing: { intervalMs: 0, jitterMs: 0, dailyCap: 1000, roomSendsPerHour: 100 },
      friends: { autoAccept: true, keywords: ['课程', 'course'] },
      coursePageUrl: 'https://zhiliao.example/courses/{slug}',
      printQr: false,
      // 'puppet' errors come from wechaty itself; the mock cannot resolve a room id as a contact when the bot's own room message echoes back.
      onError: (where) => (where === 'puppet' ? undefined : errors.push(where)),
    }));
    await wechat.start();
    self = mocker.createContact({ name: '知了助手' });
    mocker.login(self);
    await until(() => bot.isLoggedIn, 'login');
  });
  afterAll(async () => {
    await wechat.stop();
    await database.close();
  });

  const inbox = (conversation: mock.ContactMock | mock.RoomMock) => {
    const texts: string[] = [];
    (conversation as unknown as { on(event: 'message', listener: (message: mock.MessageMock) => void): void }).on('message', (message) => {
      if (message.payload.talkerId === self.id && message.payload.text) texts.push(message.payload.text);
    });
    return texts;
  };

  it('accepts a friend request with a keyword, records the follow and sends the welcome with onboarding', async () => {
    const friend = mocker.createContact({ name: '小明' });
    const texts = inbox(friend);
    puppet.friendships.set('fr-1', { id: 'fr-1', contactId: friend.id, hello: '你好，想了解摄影课程', type: types.Friendship.Receive, ticket: 't', timestamp: Date.now() });
    puppet.emit('friendship', { friendshipId: 'fr-1' });
    const welcome = await until(() => texts.find((t) => t.includes('欢迎')), 'welcome');
    expect(welcome).toMatch(/回复数字选择/);
    expect(puppet.accepted).toEqual(['fr-1']);
    const follower = (await repos.followers.findByIdentity('wechat', friend.id))!;
    expect(follower.displayName).toBe('小明');
    const follows = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where follower_id = ${follower.id} and kind = 'follow' and platform = 'wechat'`);
    expect(follows[0]!.n).toBe(1);

    // A request without a keyword is left for a person. Probe: a request with a keyword sent right
    // after it goes the same way; once that one is accepted and welcomed, the first was decided.
    const stranger = mocker.createContact({ name: 'spam' });
    puppet.friendships.set('fr-2', { id: 'fr-2', contactId: stranger.id, hello: 'buy followers cheap', type: types.Friendship.Receive, ticket: 't', timestamp: Date.now() });
    puppet.emit('friendship', { friendshipId: 'fr-2' });
    const probe = mocker.createContact({ name: 'probe' });
    const probeTexts = inbox(probe);
    puppet.friendships.set('fr-3', { id: 'fr-3', contactId: probe.id, hello: 'course please', type: types.Friendship.Receive, ticket: 't', timestamp: Date.now() });
    puppet.emit('friendship', { friendshipId: 'fr-3' });
    await until(() => probeTexts.find((t) => t.includes('欢迎') || t.includes('Welcome')), 'probe welcome');
    expect(puppet.accepted).toEqual(['fr-1', 'fr-3']);
    expect(await repos.followers.findByIdentity('wechat', stranger.id)).toBeNull();

    // Asked for recommendations in Chinese: course cards as URL link cards, then numbered options.
    const cardsBefore = puppet.urlLinks.length;
    friend.say('有什么推荐的课程吗？').to(self);
    await until(() => puppet.urlLinks.length > cardsBefore && texts.some((t) => t.includes('想进一步了解')), 'course cards');
    const cards = puppet.urlLinks.slice(cardsBefore);
    expect(cards.every((c) => c.conversationId === friend.id && c.payload.url.startsWith('https://zhiliao.example/courses/'))).toBe(true);
    const slugs = cards.map((c) => c.payload.url.split('/').at(-1)!);
    for (const slug of slugs) expect((await repos.courses.findBySlug(slug))?.status).toBe('on_sale');
    // The send's row is finished just after its last message reaches the chat: wait for it.
    const sends = await until(async () => {
      const rows = await queryRows<{ status: string }>(database.db, sql`select status from sends where platform = 'wechat' and follower_id = ${follower.id}`);
      return rows.length >= 2 && rows.every((s) => s.status !== 'sending') ? rows : undefined;
    }, 'sends recorded');
    expect(sends.every((s) => s.status === 'sent')).toBe(true);

    // 退订 opts out.
    friend.say('退订').to(self);
    await until(async () => (await repos.followers.findById(follower.id))?.isOptedOut, 'opt-out');
    expect((await repos.followers.findById(follower.id))?.hasMarketingConsent).toBe(false);
    expect(errors).toEqual([]);
  });

  it('remembers the list shown: "第二个" opens the confirmation card, and "1" (Confirm) links exactly that course', async () => {
    const buyer = mocker.createContact({ name: '小李' });
    const texts = inbox(buyer);
    const cardsBefore = puppet.urlLinks.length;
    buyer.say('有没有摄影课？').to(self);
    await until(() => puppet.urlLinks.length >= cardsBefore + 2 && texts.length > 0, 'photography cards');
    const shown = puppet.urlLinks.slice(cardsBefore).map((c) => c.payload.url);
    const second = (await repos.courses.findBySlug(shown[1]!.split('/').at(-1)!))!;

    const textsBefore = texts.length;
    buyer.say('第二个').to(self);
    const card = await until(() => texts.slice(textsBefore).find((t) => t.includes('请确认购买')), 'confirmation card');
    expect(card).toContain(second.titleZh);
    expect(card).toContain('¥');

    const linksBefore = puppet.urlLinks.length;
    buyer.say('1').to(self);
    const link = await until(() => puppet.urlLinks.slice(linksBefore).find((c) => c.conversationId === buyer.id), 'purchase link');
    expect(link.payload.url).toBe(`https://zhiliao.example/courses/${second.slug}`);
    expect(errors).toEqual([]);
  });

  it('welcomes people joining a room and answers @mentions there, ignoring other room chatter', async () => {
    const member = mocker.createContact({ name: '小红' });
    const room = mocker.createRoom({ topic: '摄影学习群', memberIdList: [self.id, member.id] });
    const texts = inbox(room);
    puppet.emit('room-join', { roomId: room.id, inviteeIdList: [member.id], inviterId: self.id, timestamp: Date.now() });
    await until(() => texts.length > 0, 'room welcome');
    const welcomed = texts.length;

    // Chatter not addressed to the bot is neither recorded nor answered; the @mention after it is
    // the probe: once its answer arrives, the chatter was handled (and only one message recorded).
    member.say('今天天气不错').to(room);
    const cardsBefore = puppet.urlLinks.length;
    member.say(`@${self.payload.name} 推荐几门课程`, [self]).to(room);
    await until(() => puppet.urlLinks.length > cardsBefore, 'cards in the room');
    expect(puppet.urlLinks.slice(cardsBefore).every((c) => c.conversationId === room.id)).toBe(true);
    const follower = (await repos.followers.findByIdentity('wechat', member.id))!;
    const messages = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where follower_id = ${follower.id} and kind = 'message'`);
    expect(messages[0]!.n).toBe(1);
    expect(texts.length).toBeGreaterThan(welcomed);
    expect(errors).toEqual([]);
  });
});
