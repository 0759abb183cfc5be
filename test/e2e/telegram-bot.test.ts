import { sql } from 'drizzle-orm';
import { createRequire } from 'node:module';
import type { TelegramServer as TelegramServerType } from 'telegram-test-api/lib/telegramServer.js';

import type { Update } from 'telegraf/types';
import { queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { buildTestChannel, freePort, testTelegramConfig } from './telegram-support.js';

interface BotMessage {
  text: string;
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> };
}

// The package is CommonJS with `module.exports = TelegramServer`; its typings only declare a default.
const TelegramServer = createRequire(import.meta.url)('telegram-test-api') as typeof TelegramServerType;
const TOKEN = '5550001:e2e-test-token-abcdefghij';

describe.each(testTargets())('Telegram bot end to end against telegram-test-api on %s', (target) => {
  let database: Database;
  let server: TelegramServerType;
  let channel: ReturnType<typeof buildTestChannel>;
  let apiURL: string;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
    await server.start();
    apiURL = server.config.apiURL;
    channel = buildTestChannel(database, testTelegramConfig(apiURL), TOKEN);
    await channel.service.start();
  });
  afterAll(async () => {
    await channel.service.stop();
    await server.stop();
    await database.close();
  });

  /** The emulator's client getUpdates keeps polling after a timeout and can swallow replies; read its route directly. */
  async function repliesTo(chatId: number, count = 1, timeoutMs = 8000): Promise<BotMessage[]> {
    const got: BotMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (got.length < count && Date.now() < deadline) {
      const response = await fetch(`${apiURL}/getUpdates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN, chatId }) });
      const body = (await response.json()) as { result: Array<{ message: BotMessage }> };
      got.push(...body.result.map((u) => u.message));
      if (got.length < count) await new Promise((r) => setTimeout(r, 50));
    }
    return got;
  }
  const actionsOf = (m: BotMessage) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
  const followerOf = async (userId: number) => (await channel.repos.followers.findByIdentity('telegram', String(userId)))!;

  it('welcomes on /start, runs the topic onboarding and asks for marketing consent', async () => {
    const client = server.getClient(TOKEN, { userId: 9001, chatId: 9001, firstName: 'Mei', userName: 'mei' });
    await client.sendCommand(client.makeCommand('/start c_launch_r_42'));
    const [welcome] = await repliesTo(9001);
    expect(welcome!.text).toContain('欢迎来到知了');
    expect(actionsOf(welcome!)).toEqual(expect.arrayContaining(['topic:photography', 'topic:python', 'topics:done']));
    const follower = await followerOf(9001);
    const [follow] = await queryRows<{ payload: Record<string, string> }>(database.db, sql`select payload from events where follower_id = ${follower.id} and kind = 'follow'`);
    expect(follow!.payload).toMatchObject({ startPayload: 'c_launch_r_42', campaign: 'launch', referrer: '42' });

    await client.sendCallback(client.makeCallbackQuery('topic:photography'));
    const [noted] = await repliesTo(9001);
    expect(noted!.text).toContain('摄影');
    const terms = await queryRows<{ terms: string[] }>(database.db, sql`select terms from events where follower_id = ${follower.id} and kind = 'message'`);
    expect(terms.flatMap((r) => r.terms)).toContain('photography');

    await client.sendCallback(client.makeCallbackQuery('topics:done'));
    const [consent] = await repliesTo(9001);
    expect(actionsOf(consent!)).toEqual(['consent:yes', 'consent:no']);
    await client.sendCallback(client.makeCallbackQuery('consent:yes'));
    const [thanks, picks] = await repliesTo(9001, 2);
    expect(thanks!.text).toContain('退订');
    expect(picks!.text).toContain('手机摄影');
    expect((await followerOf(9001)).hasMarketingConsent).toBe(true);
  });

  it('browses the catalogue with paging and recommends 3 picks with reasons', async () => {
    const client = server.getClient(TOKEN, { userId: 9002, chatId: 9002, firstName: 'Tom' });
    await client.sendCommand(client.makeCommand('/courses'));
    const [page1] = await repliesTo(9002);
    expect(page1!.text).toMatch(/第 1\/\d+ 页/);
    expect(actionsOf(page1!)).toContain('page:2');
    await client.sendCallback(client.makeCallbackQuery('page:2'));
    const [page2] = await repliesTo(9002);
    expect(page2!.text).toMatch(/第 2\/\d+ 页/);
    expect(actionsOf(page2!)).toContain('page:1');

    await client.sendCommand(client.makeCommand('/recommend'));
    const [picks] = await repliesTo(9002);
    expect(picks!.text).toContain('为你挑了这几门');
    expect(actionsOf(picks!).filter((a) => a?.startsWith('buy:'))).toHaveLength(3);
  });

  it('recommends first what a newcomer said they want to learn, or tapped at onboarding, and says so in their language', async () => {
    const picked = async (chatId: number) => {
      const [picks] = await repliesTo(chatId);
      const ids = actionsOf(picks!).filter((a) => a?.startsWith('buy:')).map((a) => a!.slice('buy:'.length));
      const courses = await Promise.all(ids.map(async (id) => (await channel.repos.courses.findById(id))!));
      return { text: picks!.text, tags: courses.map((c) => c.tags) };
    };
    const zh = server.getClient(TOKEN, { userId: 9010, chatId: 9010, firstName: '小赵' });
    await zh.sendMessage(zh.makeMessage('我想学Python数据分析'));
    await repliesTo(9010);
    await zh.sendCommand(zh.makeCommand('/recommend'));
    const said = await picked(9010);
    expect(said.tags).toHaveLength(3);
    expect(said.tags.every((tags) => tags.includes('python') || tags.includes('data-analysis'))).toBe(true);
    expect(said.text).toContain('符合你说想学的');

    const en = server.getClient(TOKEN, { userId: 9011, chatId: 9011, firstName: 'Kim' });
    const start = en.makeCommand('/start');
    await en.sendCommand({ ...start, from: { ...start.from, language_code: 'en' } } as typeof start);
    await repliesTo(9011);
    await en.sendCallback(en.makeCallbackQuery('topic:photography'));
    await repliesTo(9011);
    await en.sendCommand(en.makeCommand('/recommend'));
    const tapped = await picked(9011);
    expect(tapped.tags.filter((tags) => tags.includes('photography'))).toHaveLength(2);
    expect(tapped.text).toContain('Matches what you said you want to learn: Photography');
  });

  it('understands free text in Chinese and in English, replying in the follower language', async () => {
    const zh = server.getClient(TOKEN, { userId: 9003, chatId: 9003, firstName: '小王' });
    await zh.sendMessage(zh.makeMessage('有没有摄影课？'));
    const [zhReply] = await repliesTo(9003);
    expect(zhReply!.text).toContain('手机摄影');

    const en = server.getClient(TOKEN, { userId: 9004, chatId: 9004, firstName: 'Ann' });
    const message = en.makeMessage('any python course?');
    await en.sendMessage({ ...message, from: { ...message.from, language_code: 'en' } } as typeof message);
    const [enReply] = await repliesTo(9004);
    expect(enReply!.text).toContain('Courses about');
    expect(enReply!.text).toMatch(/Python/);

    await en.sendMessage(en.makeMessage('blorp'));
    const [fallback] = await repliesTo(9004);
    expect(actionsOf(fallback!)).toEqual(expect.arrayContaining(['rec', 'page:1']));
  });

  it('unsubscribes on 退订 and /stop, and resubscribes', async () => {
    const client = server.getClient(TOKEN, { userId: 9005, chatId: 9005, firstName: 'Lin' });
    await client.sendMessage(client.makeMessage('退订'));
    const [reply] = await repliesTo(9005);
    expect(reply!.text).toContain('已退订');
    expect((await followerOf(9005)).isOptedOut).toBe(true);
    await client.sendMessage(client.makeMessage('重新订阅'));
    await repliesTo(9005);
    expect((await followerOf(9005)).isOptedOut).toBe(false);
    await client.sendCommand(client.makeCommand('/stop'));
    await repliesTo(9005);
    expect((await followerOf(9005)).isOptedOut).toBe(true);
  });

  it('processes a repeated update_id once', async () => {
    const update = {
      update_id: 990_001,
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 9006, type: 'private', first_name: 'Dup' }, from: { id: 9006, is_bot: false, first_name: 'Dup' }, text: 'help' },
    } as Update;
    await channel.bot.handleUpdate(update);
    await channel.bot.handleUpdate(structuredClone(update));
    const replies = await repliesTo(9006, 2, 1500);
    // The reply reaches the emulator before its `sends` row is written.
    await channel.idle();
    expect(replies).toHaveLength(1);
    const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where platform = 'telegram' and external_id = ${`${channel.botId}:990001`}`);
    expect(row!.n).toBe(1);
    const [sends] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from sends where chat_id = '9006' and status = 'sent'`);
    expect(sends!.n).toBe(1);
  });
});
