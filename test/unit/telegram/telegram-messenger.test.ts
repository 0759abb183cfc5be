import { sql } from 'drizzle-orm';
import { TelegramError, type Telegram } from 'telegraf';
import { createLogger } from '../../../adapters/index.js';
import { RateLimiter, TELEGRAM_RATE_LIMITS, TelegramMessenger, type Timer } from '../../../adapters/telegram/index.js';
import { createRepositories, PgSendLogRepository, queryRows, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';

/** A clock that never really waits: sleeping moves it forward. */
class FakeTimer implements Timer {
  now = 1_000_000;
  sleeps: number[] = [];
  nowMs = () => this.now;
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.now += ms;
  };
}

/** Answers like the Bot API would, failing the scripted calls first. */
function scriptedTelegram(failures: TelegramError[]) {
  let id = 0;
  const sent: string[] = [];
  const next = async (chatId: string | number) => {
    const failure = failures.shift();
    if (failure) throw failure;
    sent.push(String(chatId));
    return { message_id: ++id };
  };
  return { telegram: { sendMessage: next, sendInvoice: next } as unknown as Pick<Telegram, 'sendMessage' | 'sendInvoice'>, sent };
}

describe.each(testTargets())('TelegramMessenger on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database.close());

  const setup = (failures: TelegramError[] = []) => {
    const timer = new FakeTimer();
    const { telegram, sent } = scriptedTelegram(failures);
    const repos = createRepositories(database.db);
    const messenger = new TelegramMessenger({ telegram, sendLog: new PgSendLogRepository(database.db), followers: repos.followers, limiter: new RateLimiter(TELEGRAM_RATE_LIMITS), logger: createLogger('silent'), timer });
    return { timer, sent, repos, messenger };
  };
  const newFollower = async (externalId: string) => (await createRepositories(database.db).followers.resolveIdentity({ kind: 'telegram', externalId })).follower;
  const sendRows = async (chatId: string) => queryRows<{ status: string; attempts: number }>(database.db, sql`select status, attempts from sends where chat_id = ${chatId} order by id`);

  it('keeps one chat to 1 message per second and records the send', async () => {
    const { timer, messenger } = setup();
    const follower = await newFollower('61');
    const result = await messenger.send({ followerId: follower.id, chatId: '61' }, [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }, { type: 'text', text: 'c' }], { purpose: 'transactional' });
    expect(result).toEqual({ status: 'sent', providerMessageIds: ['1', '2', '3'] });
    expect(timer.sleeps).toEqual([1000, 1000]);
    expect(await sendRows('61')).toEqual([{ status: 'sent', attempts: 3 }]);
  });

  it('waits retry_after on a 429 and then sends', async () => {
    const { timer, messenger, sent } = setup([new TelegramError({ error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } })]);
    const follower = await newFollower('62');
    const result = await messenger.send({ followerId: follower.id, chatId: '62' }, [{ type: 'text', text: 'hi' }], { purpose: 'marketing' });
    expect(result.status).toBe('sent');
    expect(timer.sleeps).toContain(7000);
    expect(sent).toEqual(['62']);
  });

  it('marks the follower unreachable on a 403 and goes on sending to others', async () => {
    const { messenger, repos, sent } = setup([new TelegramError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' })]);
    const blocked = await newFollower('63');
    const other = await newFollower('64');
    const result = await messenger.send({ followerId: blocked.id, chatId: '63' }, [{ type: 'text', text: 'offer' }], { purpose: 'marketing' });
    expect(result).toMatchObject({ status: 'blocked' });
    expect((await repos.followers.findById(blocked.id))!.isReachable).toBe(false);
    expect((await messenger.send({ followerId: other.id, chatId: '64' }, [{ type: 'text', text: 'offer' }], { purpose: 'marketing' })).status).toBe('sent');
    expect(sent).toEqual(['64']);
    expect((await sendRows('63'))[0]!.status).toBe('blocked');
  });

  it('sends once per idempotency key', async () => {
    const { messenger, sent } = setup();
    const follower = await newFollower('65');
    const first = await messenger.send({ followerId: follower.id, chatId: '65' }, [{ type: 'text', text: 'x' }], { purpose: 'marketing', idempotencyKey: 'campaign-1:65' });
    const again = await messenger.send({ followerId: follower.id, chatId: '65' }, [{ type: 'text', text: 'x' }], { purpose: 'marketing', idempotencyKey: 'campaign-1:65' });
    expect(again).toEqual(first);
    expect(sent).toEqual(['65']);
  });
});
