import { sql } from 'drizzle-orm';
import { TelegramError, type Telegram } from 'telegraf';
import { createLogger } from '../../../adapters/index.js';
import { RateLimiter, TELEGRAM_RATE_LIMITS, TelegramMessenger, type Timer } from '../../../adapters/telegram/index.js';
import { createRepositories, PgReplyQueue, PgSendLogRepository, PgTelegramUpdateRepository, queryRows, type Database } from '../../../models/index.js';
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

  it('sends a batch once per key: keys used before answer their first outcome, a 403 marks the follower unreachable, every row is finished', async () => {
    const [blocked, a, b] = [await newFollower('80'), await newFollower('81'), await newFollower('82')];
    const before = await setup().messenger.send({ followerId: a.id, chatId: '81' }, [{ type: 'text', text: 'x' }], { purpose: 'marketing', idempotencyKey: 'batch:81' });
    const { messenger, sent, repos } = setup([new TelegramError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' })]);
    const batch = [
      { to: { followerId: blocked.id, chatId: '80' }, replies: [{ type: 'text', text: 'x' }] as const, idempotencyKey: 'batch:80' },
      { to: { followerId: a.id, chatId: '81' }, replies: [{ type: 'text', text: 'x' }] as const, idempotencyKey: 'batch:81' },
      { to: { followerId: b.id, chatId: '82' }, replies: [{ type: 'text', text: 'x' }, { type: 'text', text: 'y' }] as const, idempotencyKey: 'batch:82' },
    ];
    const results = await messenger.sendBatch(batch, { purpose: 'marketing', concurrency: 2 });
    expect(results[0]).toMatchObject({ status: 'blocked' });
    expect(results[1]).toEqual(before);
    expect(results[2]).toMatchObject({ status: 'sent', providerMessageIds: [expect.any(String), expect.any(String)] });
    expect(sent).toEqual(['82', '82']);
    expect((await repos.followers.findById(blocked.id))!.isReachable).toBe(false);
    expect([await sendRows('80'), await sendRows('81'), await sendRows('82')]).toEqual([
      [{ status: 'blocked', attempts: 1 }], [{ status: 'sent', attempts: 1 }], [{ status: 'sent', attempts: 2 }],
    ]);
    // Again: nothing goes out; the blocked one is final, not retried.
    sent.length = 0;
    expect(await messenger.sendBatch(batch, { purpose: 'marketing', concurrency: 2 })).toEqual(
      // A replayed key answers its first outcome; when the platform accepted it is known only to the send that went out.
      results.map((r) => (r.status === 'blocked' ? { status: 'blocked', reason: expect.any(String) } : r.status === 'sent' ? { status: 'sent', providerMessageIds: r.providerMessageIds } : r)),
    );
    expect(sent).toEqual([]);
  });

  it('retries a batch key whose send failed, and reports a key still in progress as a retryable failure', async () => {
    const { messenger, sent } = setup([new TelegramError({ error_code: 500, description: 'Internal Server Error' })]);
    const follower = await newFollower('83');
    const to = { followerId: follower.id, chatId: '83' };
    const [failed] = await messenger.sendBatch([{ to, replies: [{ type: 'text', text: 'x' }], idempotencyKey: 'batch:83' }], { purpose: 'marketing', concurrency: 1 });
    expect(failed).toMatchObject({ status: 'failed', isRetryable: true });
    const [retried] = await messenger.sendBatch([{ to, replies: [{ type: 'text', text: 'x' }], idempotencyKey: 'batch:83' }], { purpose: 'marketing', concurrency: 1 });
    expect(retried).toMatchObject({ status: 'sent' });
    expect(sent).toEqual(['83']);
    // A row left `sending` (its process died mid-send) is not sent again under its key.
    await database.db.execute(sql`insert into sends (platform, chat_id, purpose, idempotency_key, reply_count) values ('telegram', '84', 'marketing', 'batch:84', 1)`);
    const [stuck] = await messenger.sendBatch([{ to: { followerId: '', chatId: '84' }, replies: [{ type: 'text', text: 'x' }], idempotencyKey: 'batch:84' }], { purpose: 'marketing', concurrency: 1 });
    expect(stuck).toMatchObject({ status: 'failed', isRetryable: true, reason: expect.stringMatching(/in progress/) });
    expect(sent).toEqual(['83']);
  });

  it('refuses a batch that repeats an idempotency key, before sending anything', async () => {
    const { messenger, sent } = setup();
    const to = { followerId: '', chatId: '85' };
    const send = { to, replies: [{ type: 'text', text: 'x' }] as const, idempotencyKey: 'batch:85' };
    await expect(messenger.sendBatch([send, send], { purpose: 'marketing', concurrency: 2 })).rejects.toThrow(/distinct/);
    expect(sent).toEqual([]);
  });

  it('returns what a batch did when its rows cannot be finished, and logs it', async () => {
    const errors: unknown[] = [];
    const { telegram, sent } = scriptedTelegram([]);
    const sendLog = new PgSendLogRepository(database.db);
    const logger = { ...createLogger('silent'), error: (obj: object) => errors.push(obj) };
    const messenger = new TelegramMessenger({
      telegram,
      sendLog: { start: sendLog.start.bind(sendLog), startMany: sendLog.startMany.bind(sendLog), finish: sendLog.finish.bind(sendLog), record: sendLog.record.bind(sendLog),
        finishMany: async () => { throw new Error('database down'); } },
      followers: createRepositories(database.db).followers, limiter: new RateLimiter(TELEGRAM_RATE_LIMITS), logger, timer: new FakeTimer(),
    });
    const results = await messenger.sendBatch([{ to: { followerId: '', chatId: '86' }, replies: [{ type: 'text', text: 'x' }], idempotencyKey: 'batch:86' }], { purpose: 'marketing', concurrency: 1 });
    expect(results).toEqual([{ status: 'sent', providerMessageIds: ['1'], acceptedAt: expect.any(Date) }]);
    expect(sent).toEqual(['86']);
    expect(errors).toHaveLength(1);
    expect(await sendRows('86')).toEqual([{ status: 'sending', attempts: 0 }]);
  });

  it('queues replies and returns at once; they go out in order per chat and are recorded once each', async () => {
    const { messenger, sent } = setup();
    const follower = await newFollower('66');
    const to = { followerId: follower.id, chatId: '66' };
    const queued = [
      messenger.enqueue(to, [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }], { purpose: 'transactional' }),
      messenger.enqueue(to, [{ type: 'text', text: 'three' }], { purpose: 'transactional' }),
    ];
    expect(sent).toEqual([]);
    await Promise.all(queued);
    await messenger.drain();
    expect(messenger.queuedSends).toBe(0);
    expect(sent).toEqual(['66', '66', '66']);
    const rows = await queryRows<{ status: string; attempts: number; ids: string[]; replyCount: number }>(
      database.db,
      sql`select status, attempts, provider_message_ids as ids, reply_count as "replyCount" from sends where chat_id = '66' order by id`,
    );
    expect(rows).toEqual([
      { status: 'sent', attempts: 2, ids: ['1', '2'], replyCount: 2 },
      { status: 'sent', attempts: 1, ids: ['3'], replyCount: 1 },
    ]);
  });

  it('stores queued replies until sent; another process takes over those of a dead one once its lease ran out', async () => {
    const queue = new PgReplyQueue(database.db);
    const lease = { leaseMs: 120_000, checkEveryMs: 60_000 };
    const messengerAt = (name: string, nowMs: number, telegram: Pick<Telegram, 'sendMessage' | 'sendInvoice'>) => {
      const timer = new FakeTimer();
      timer.now = nowMs;
      return new TelegramMessenger({
        telegram, sendLog: new PgSendLogRepository(database.db), replyQueue: queue, instanceId: name, replyLease: lease,
        followers: createRepositories(database.db).followers, limiter: new RateLimiter(TELEGRAM_RATE_LIMITS), logger: createLogger('silent'), timer,
      });
    };
    const queueRows = () => queryRows<{ owner: string; chat_id: string }>(database.db, sql`select owner, chat_id from reply_queue order by id`);
    const follower = await newFollower('91');
    // Each item of one write gets its own row's id back.
    const items = ['81', '82', '83'].map((chatId) => ({ platform: 'telegram' as const, followerId: null, chatId, purpose: 'transactional' as const, replies: [{ type: 'text' as const, text: chatId }] }));
    const ids = await queue.add(items, 'X', new Date(Date.now() + 600_000));
    const chats = await queryRows<{ id: string; chat_id: string }>(database.db, sql`select id, chat_id from reply_queue where owner = 'X'`);
    expect(ids.map((id) => chats.find((c) => Number(c.id) === id)?.chat_id)).toEqual(['81', '82', '83']);
    await database.db.execute(sql`delete from reply_queue where owner = 'X'`);
    // Process A queues replies, then dies before Telegram answers.
    const hanging = { sendMessage: () => new Promise(() => undefined), sendInvoice: () => new Promise(() => undefined) } as unknown as Pick<Telegram, 'sendMessage' | 'sendInvoice'>;
    const dead = messengerAt('A', 1_000_000, hanging);
    await dead.enqueue({ followerId: follower.id, chatId: '91' }, [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }], { purpose: 'transactional' });
    // The row is written alongside the enqueue (the caller does not wait for it); it lands in a moment.
    for (let tries = 0; tries < 50 && (await queueRows()).length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await queueRows()).toEqual([{ owner: 'A', chat_id: '91' }]);

    // Three minutes later process B starts. Process C, alive, has a reply queued under its own lease.
    const later = 1_000_000 + 180_000;
    const live = scriptedTelegram([]);
    const alive = messengerAt('C', later, live.telegram);
    await alive.enqueue({ followerId: follower.id, chatId: '92' }, [{ type: 'text', text: 'mine' }], { purpose: 'transactional' });
    const restarted = scriptedTelegram([]);
    const taker = messengerAt('B', later, restarted.telegram);
    await taker.start();
    await taker.drain();
    await alive.drain();
    taker.stop();
    // B sent A's replies (not C's), each once, recorded them, and nothing is left queued.
    expect(restarted.sent).toEqual(['91', '91']);
    expect(live.sent).toEqual(['92']);
    expect(await sendRows('91')).toEqual([{ status: 'sent', attempts: 2 }]);
    expect(await queueRows()).toEqual([]);
    expect(await taker.takeOverExpired()).toBe(0);
  });

  it('keeps the rate limits for queued replies', async () => {
    const { messenger, timer } = setup();
    const follower = await newFollower('67');
    await messenger.enqueue({ followerId: follower.id, chatId: '67' }, [{ type: 'text', text: 'a' }], { purpose: 'transactional' });
    await messenger.enqueue({ followerId: follower.id, chatId: '67' }, [{ type: 'text', text: 'b' }], { purpose: 'transactional' });
    await messenger.drain();
    expect(timer.sleeps).toEqual([1000]);
  });

  it('marks the follower unreachable when a queued reply gets a 403, records it and reports it', async () => {
    const statuses: string[] = [];
    const timer = new FakeTimer();
    const { telegram } = scriptedTelegram([new TelegramError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' })]);
    const repos = createRepositories(database.db);
    const messenger = new TelegramMessenger({
      telegram, sendLog: new PgSendLogRepository(database.db), followers: repos.followers, limiter: new RateLimiter(TELEGRAM_RATE_LIMITS), logger: createLogger('silent'), timer,
      onSent: (status) => statuses.push(status),
    });
    const blocked = await newFollower('68');
    await messenger.enqueue({ followerId: blocked.id, chatId: '68' }, [{ type: 'text', text: 'hi' }], { purpose: 'transactional' });
    await messenger.drain();
    expect((await repos.followers.findById(blocked.id))!.isReachable).toBe(false);
    expect(await sendRows('68')).toEqual([{ status: 'blocked', attempts: 1 }]);
    expect(statuses).toEqual(['blocked']);
  });

  it('reports a queued send whose row cannot be written instead of dropping it silently', async () => {
    const statuses: string[] = [];
    const { telegram } = scriptedTelegram([]);
    const sendLog = new PgSendLogRepository(database.db);
    const messenger = new TelegramMessenger({
      telegram,
      sendLog: {
        start: sendLog.start.bind(sendLog), startMany: sendLog.startMany.bind(sendLog), finish: sendLog.finish.bind(sendLog), finishMany: sendLog.finishMany.bind(sendLog),
        record: async () => { throw new Error('database down'); },
      },
      followers: createRepositories(database.db).followers, limiter: new RateLimiter(TELEGRAM_RATE_LIMITS), logger: createLogger('silent'), timer: new FakeTimer(),
      onSent: (status) => statuses.push(status),
    });
    await messenger.enqueue({ followerId: '', chatId: '69' }, [{ type: 'text', text: 'hi' }], { purpose: 'transactional' });
    await messenger.drain();
    expect(statuses).toEqual(['failed']);
  });
});

describe.each(testTargets())('TelegramMessenger backpressure on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database.close());

  it('makes enqueue wait while the queue is at its high-water mark', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let id = 0;
    const telegram = { sendMessage: async () => { await gate; return { message_id: ++id }; }, sendInvoice: async () => ({ message_id: ++id }) } as unknown as Pick<Telegram, 'sendMessage' | 'sendInvoice'>;
    const messenger = new TelegramMessenger({
      telegram, sendLog: new PgSendLogRepository(database.db), followers: createRepositories(database.db).followers,
      limiter: new RateLimiter({ globalPerSecond: 1000, privateChatPerSecond: 1000, groupPerMinute: 1000 }), logger: createLogger('silent'), maxQueuedSends: 2,
    });
    await messenger.enqueue({ followerId: '', chatId: '70' }, [{ type: 'text', text: 'a' }], { purpose: 'transactional' });
    await messenger.enqueue({ followerId: '', chatId: '71' }, [{ type: 'text', text: 'b' }], { purpose: 'transactional' });
    let isThirdQueued = false;
    const third = messenger.enqueue({ followerId: '', chatId: '72' }, [{ type: 'text', text: 'c' }], { purpose: 'transactional' }).then(() => (isThirdQueued = true));
    // Probe, then observe: an enqueue with room finishes in microtasks, so after one turn of the
    // event loop it would have; this one is still waiting, and was not counted as queued.
    await new Promise((r) => setImmediate(r));
    expect(isThirdQueued).toBe(false);
    expect(messenger.queuedSends).toBe(2);
    release();
    await third;
    await messenger.drain();
    expect(messenger.queuedSends).toBe(0);
  });
});

describe.each(testTargets())('PgTelegramUpdateRepository.claimMany on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database.close());

  it('takes each new update_id once, in one call, and refuses those taken before', async () => {
    const updates = new PgTelegramUpdateRepository(database.db);
    expect(await updates.claimMany('b1', [{ updateId: 1, kind: 'message' }])).toEqual([true]);
    expect(await updates.claimMany('b1', [{ updateId: 1, kind: 'message' }, { updateId: 2, kind: 'callback_query' }, { updateId: 2, kind: 'callback_query' }, { updateId: 3, kind: 'message' }])).toEqual([false, true, false, true]);
    expect(await updates.claimMany('b2', [{ updateId: 1, kind: 'message' }])).toEqual([true]);
    await updates.release('b1', 2);
    expect(await updates.claimMany('b1', [{ updateId: 2, kind: 'message' }])).toEqual([true]);
  });
});
