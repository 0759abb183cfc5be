import { sql } from 'drizzle-orm';
import { createLogger } from '../../adapters/index.js';
import { SendPacer, WechatMessenger, WechatReplyOutbox, type WechatConversations, type WechatOutgoing } from '../../adapters/wechat/index.js';
import { systemClock } from '../../core/index.js';
import { createRepositories, PgReplyQueue, queryRows, type Database } from '../../models/index.js';
import { PgSendLogRepository } from '../../models/repositories/pg-send-log-repository.js';
import { PgWechatSendCounter } from '../../models/repositories/pg-mp-wechat-send-counter.js';
import { openTestDatabase, testTargets } from '../support/database.js';

/** The logged-in WeChat account as the messenger sees it: each chat records what it was told, or never answers (a process about to die). */
function conversations(mode: 'record' | 'hang') {
  const said: Array<{ chatId: string; message: WechatOutgoing }> = [];
  const found: WechatConversations = {
    find: async (chatId) => ({
      say: (message) => (mode === 'hang' ? new Promise<string | undefined>(() => undefined) : Promise.resolve(void said.push({ chatId, message })).then(() => `m${said.length}`)),
    }),
  };
  return { found, said };
}

describe.each(testTargets())('WeChat chat replies survive a crash on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(async () => database.close());

  const outboxAt = (name: string, nowMs: number, chats: WechatConversations) => {
    const repos = createRepositories(database.db);
    const messenger = new WechatMessenger({
      conversations: chats, sendLog: new PgSendLogRepository(database.db), counter: new PgWechatSendCounter(database.db), pacer: new SendPacer({ intervalMs: 0, jitterMs: 0 }),
      clock: systemClock, followers: repos.followers, limits: { dailyCap: 1000, roomSendsPerHour: 100 }, logger: createLogger('silent'),
    });
    return new WechatReplyOutbox({ messenger, queue: new PgReplyQueue(database.db), logger: createLogger('silent'), nowMs: () => nowMs, instanceId: name, lease: { leaseMs: 120_000, checkEveryMs: 60_000 } });
  };
  const queued = () => queryRows<{ owner: string; platform: string; chat_id: string }>(database.db, sql`select owner, platform, chat_id from reply_queue order by id`);

  it('stores replies before enqueue returns; after the owner dies another process sends them once and only its own platform', async () => {
    const { follower } = await createRepositories(database.db).followers.resolveIdentity({ kind: 'wechat', externalId: 'wx-crash' });
    // A Telegram process's expired row: not WeChat's to send.
    await new PgReplyQueue(database.db).add([{ platform: 'telegram', followerId: null, chatId: '555', purpose: 'transactional', replies: [{ type: 'text', text: 'tg' }] }], 'T', new Date(0));

    const dying = outboxAt('A', Date.now(), conversations('hang').found);
    await dying.enqueue({ followerId: follower.id, chatId: 'wx-crash' }, [{ type: 'text', text: '你好' }], { purpose: 'transactional' });
    expect(await queued()).toEqual([{ owner: 'T', platform: 'telegram', chat_id: '555' }, { owner: 'A', platform: 'wechat', chat_id: 'wx-crash' }]);

    // A is now inside its send (the platform never answers): its send row says 'sending'. That is the moment it dies.
    for (let tries = 0; tries < 200; tries++) {
      const rows = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from sends where platform = 'wechat' and follower_id = ${follower.id} and status = 'sending'`);
      if (rows[0]!.n === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    // Three minutes later another process starts: A's lease ran out.
    const restarted = conversations('record');
    const taker = outboxAt('B', Date.now() + 180_000, restarted.found);
    await taker.start();
    await taker.drain();
    taker.stop();
    expect(restarted.said).toEqual([{ chatId: 'wx-crash', message: { kind: 'text', text: '你好' } }]);
    expect(await queued()).toEqual([{ owner: 'T', platform: 'telegram', chat_id: '555' }]);
    // A died in its send; the takeover closed that row and B's retry took it: one row, sent, none stuck.
    const sends = await queryRows<{ status: string }>(database.db, sql`select status from sends where platform = 'wechat' and follower_id = ${follower.id}`);
    expect(sends).toEqual([{ status: 'sent' }]);

    // Once sent, the row is gone: looking again sends nothing more.
    await taker.start();
    await taker.drain();
    taker.stop();
    expect(restarted.said).toHaveLength(1);
  });
});
