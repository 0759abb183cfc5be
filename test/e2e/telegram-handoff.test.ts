import { sql } from 'drizzle-orm';
import { createRequire } from 'node:module';
import request from 'supertest';
import type { TelegramServer as TelegramServerType } from 'telegram-test-api/lib/telegramServer.js';
import { dialogText } from '../../core/index.js';
import { queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { createConsoleTestApp } from '../integration/console-support.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { buildTestChannel, freePort, testTelegramConfig } from './telegram-support.js';

interface BotMessage {
  text: string;
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> };
}

// The package is CommonJS with `module.exports = TelegramServer`; its typings only declare a default.
const TelegramServer = createRequire(import.meta.url)('telegram-test-api') as typeof TelegramServerType;
const TOKEN = '5550007:handoff-test-token-abcdef';
const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const zh = dialogText('zh-CN');

/**
 * Hand-off to a person through the real telegraf bot (long polling the telegram-test-api
 * emulator) and the real console app: "转人工" → the inbox shows it → a reply from the console
 * arrives in the chat → the follower's messages meanwhile get no bot answer → close → the bot
 * answers again. And three messages in a row the bot does not understand open a hand-off too.
 */
describe.each(testTargets())('hand-off to a person on Telegram (emulator) on %s', (target) => {
  let database: Database;
  let server: TelegramServerType;
  let channel: ReturnType<typeof buildTestChannel>;
  let app: ReturnType<typeof createConsoleTestApp>;
  let apiURL: string;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
    await server.start();
    apiURL = server.config.apiURL;
    channel = buildTestChannel(database, testTelegramConfig(apiURL), TOKEN);
    await channel.service.start();
    // The console of the same process: its inbox replies go through this bot's messenger.
    app = createConsoleTestApp(database, { messengers: new Map([['telegram', channel.messenger]]) });
  });
  afterAll(async () => {
    await channel.service.stop();
    await server.stop();
    await database.close();
  });

  /** The bot's messages to a chat, read from the emulator's client route (its polling client can swallow replies). */
  async function repliesTo(chatId: number, count = 1, timeoutMs = 20_000): Promise<BotMessage[]> {
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
  /** Waits until the bot has taken the follower's message (its event is recorded) and finished with it, replies included. */
  async function processed(userId: number, text: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events e join identities i on i.follower_id = e.follower_id
        where i.kind = 'telegram' and i.external_id = ${String(userId)} and e.kind = 'message' and e.payload->>'text' = ${text}`);
      if (row!.n > 0) break;
      if (Date.now() > deadline) throw new Error(`the bot never took "${text}"`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await channel.idle();
  }
  const handoffOf = async (userId: number) => {
    const follower = (await channel.repos.followers.findByIdentity('telegram', String(userId)))!;
    const inbox = await request(app).get('/api/inbox').set(auth).expect(200);
    return (inbox.body.items as Array<{ id: string; followerId: string; reason: string; status: string; waitingSeconds: number | null }>).find((i) => i.followerId === follower.id);
  };

  it('转人工 → inbox → console reply arrives in the chat → follower texts get no bot answer → close → answered again', async () => {
    const client = server.getClient(TOKEN, { userId: 9101, chatId: 9101, firstName: 'Lin' });
    await client.sendMessage(client.makeMessage('转人工'));
    const [ack] = await repliesTo(9101);
    expect(ack!.text).toBe(zh.humanHandoff);

    const handoff = (await handoffOf(9101))!;
    expect(handoff).toMatchObject({ reason: 'asked', status: 'open', waitingSeconds: expect.any(Number) });

    // While a person handles the chat: the first message gets the one notice, later ones nothing.
    await client.sendMessage(client.makeMessage('我上周买的课打不开'));
    const [notice] = await repliesTo(9101);
    expect(notice!.text).toBe(zh.handoffWaiting);
    await client.sendMessage(client.makeMessage('有没有摄影课？'));
    await processed(9101, '有没有摄影课？');

    const reply = { text: '您好，我是课程助理小周。请把订单截图发给我，我帮您看看。', clientKey: 'e2e-reply-0001' };
    await request(app).post(`/api/inbox/${handoff.id}/replies`).set(auth).send(reply).expect(201);
    await request(app).post(`/api/inbox/${handoff.id}/replies`).set(auth).send(reply).expect(200);
    // The next (and only) message in the chat is the person's: the bot did not answer "有没有摄影课？".
    const staff = await repliesTo(9101);
    expect(staff.map((m) => m.text)).toEqual([reply.text]);

    const thread = await request(app).get(`/api/inbox/${handoff.id}`).set(auth).expect(200);
    expect(thread.body.messages.map((m: { from: string; text: string }) => `${m.from}: ${m.text}`)).toEqual([
      'follower: 转人工', 'follower: 我上周买的课打不开', 'follower: 有没有摄影课？', `staff: ${reply.text}`,
    ]);
    expect(thread.body.handoff).toMatchObject({ status: 'answered', waitingSeconds: null });

    await request(app).post(`/api/inbox/${handoff.id}/close`).set(auth).expect(200);
    const [closed] = await repliesTo(9101);
    expect(closed!.text).toBe(zh.handoffClosed);
    expect(await handoffOf(9101)).toBeUndefined();

    await client.sendMessage(client.makeMessage('有没有摄影课？'));
    const [answer] = await repliesTo(9101);
    expect(answer!.text).toContain('摄影');
    expect((answer!.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data?.startsWith('info:'))).toBe(true);
  });

  it('hands the chat to a person after three messages in a row it does not understand', async () => {
    const client = server.getClient(TOKEN, { userId: 9102, chatId: 9102, firstName: 'Wu' });
    const answers: string[] = [];
    for (const text of ['明天北京天气怎么样', '帮我订一张去上海的机票', '这道数学作业题怎么做']) {
      await client.sendMessage(client.makeMessage(text));
      answers.push((await repliesTo(9102))[0]!.text);
    }
    expect(answers).toEqual([zh.outOfScope, zh.outOfScope, zh.handoffNotUnderstood]);
    expect(await handoffOf(9102)).toMatchObject({ reason: 'not_understood', status: 'open' });
  });

  it('still honours an opt-out while a person handles the chat', async () => {
    const client = server.getClient(TOKEN, { userId: 9103, chatId: 9103, firstName: 'Qi' });
    await client.sendMessage(client.makeMessage('我要人工客服'));
    expect((await repliesTo(9103))[0]!.text).toBe(zh.humanHandoff);
    await client.sendMessage(client.makeMessage('退订'));
    expect((await repliesTo(9103))[0]!.text).toBe(zh.unsubscribed);
    expect((await channel.repos.followers.findByIdentity('telegram', '9103'))!.isOptedOut).toBe(true);
    expect(await handoffOf(9103)).toMatchObject({ status: 'open' });
  });
});
