import { sql } from 'drizzle-orm';
import { createLogger } from '../../../adapters/index.js';
import { SendPacer } from '../../../adapters/wechat/send-pacer.js';
import { WechatMessenger, type WechatConversations } from '../../../adapters/wechat/wechat-messenger.js';
import { createRepositories, PgSendLogRepository, queryRows, type Database } from '../../../models/index.js';
import { PgWechatSendCounter } from '../../../models/repositories/pg-mp-wechat-send-counter.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TestClock } from '../../support/http.js';

/** The logged-in account's chats, as wechaty would find them: every chat exists and records what it is told. */
function recordingConversations() {
  const said: Array<{ chatId: string; text: string }> = [];
  let id = 0;
  const conversations: WechatConversations = {
    find: async (chatId) => ({
      say: async (message) => {
        said.push({ chatId, text: typeof message === 'string' ? message : JSON.stringify(message) });
        return `m${++id}`;
      },
    }),
  };
  return { conversations, said };
}

describe.each(testTargets())('WechatMessenger limits on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database.close());

  it('keeps a rolling 24-hour cap for the account and an hourly limit per room, recording what it held back', async () => {
    const clock = new TestClock(new Date());
    const { conversations, said } = recordingConversations();
    const messenger = new WechatMessenger({
      conversations,
      sendLog: new PgSendLogRepository(database.db),
      counter: new PgWechatSendCounter(database.db),
      pacer: new SendPacer({ intervalMs: 0, jitterMs: 0 }),
      clock,
      followers: createRepositories(database.db).followers,
      limits: { dailyCap: 4, roomSendsPerHour: 2 },
      logger: createLogger('silent'),
    });
    const say = (chatId: string, text: string) => messenger.send({ followerId: '', chatId }, [{ type: 'text', text }], { purpose: 'marketing' });

    // A room takes two messages an hour; a third waits.
    expect((await say('room:r1', 'one')).status).toBe('sent');
    expect((await say('room:r1', 'two')).status).toBe('sent');
    expect(await say('room:r1', 'three')).toEqual({ status: 'rate_limited', retryAfterMs: 900_000 });
    // Other chats are not held back by that room; the account's fourth message is the last of the day.
    expect((await say('room:r2', 'four')).status).toBe('sent');
    expect((await say('wxid_friend', 'five')).status).toBe('sent');
    expect(await say('wxid_friend', 'six')).toEqual({ status: 'rate_limited', retryAfterMs: 3_600_000 });
    expect(said.map((s) => s.chatId)).toEqual(['room:r1', 'room:r1', 'room:r2', 'wxid_friend']);
    const rows = await queryRows<{ status: string; n: number }>(database.db, sql`select status, count(*)::int as n from sends where platform = 'wechat' group by status order by status`);
    expect(rows).toEqual([{ status: 'rate_limited', n: 2 }, { status: 'sent', n: 4 }]);

    // A day later the window has rolled past those sends.
    clock.advance(25 * 3_600_000);
    expect((await say('wxid_friend', 'seven')).status).toBe('sent');
  });
});
