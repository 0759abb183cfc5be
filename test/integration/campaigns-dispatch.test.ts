import { sql } from 'drizzle-orm';
import {
  controlBroadcast, createBroadcast, dispatchOutbox, enqueueBroadcast, type BroadcastInput, type DispatchDeps,
} from '../../core/campaigns/index.js';
import { Telegram } from 'telegraf';
import { createLogger } from '../../adapters/index.js';
import { RateLimiter, TelegramMessenger } from '../../adapters/telegram/index.js';
import type { Principal } from '../../core/index.js';
import { createRepositories, PgSendLogRepository, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TestClock } from '../support/http.js';
import { BotApiSink } from './campaigns-support/bot-api-sink.js';
import { SinkMessenger } from './campaigns-support/sink-messenger.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';

const options = { batchSize: 50, leaseMs: 60_000, concurrency: 8, maxAttempts: 3 };
const ADMIN: Principal = { id: null, role: 'admin', actor: 'test' };

describe.each(testTargets())('campaign dispatch and guards on %s', (target) => {
  let database: Database;
  let repos: CampaignRepositories;
  let sink: BotApiSink;
  let deps: DispatchDeps;
  let clock: TestClock;
  let sinkUrl: string;
  let prefixCounter = 0;
  const blocked = new Set<string>();

  beforeAll(async () => {
    database = await openTestDatabase(target);
    repos = createCampaignRepositories(database.db);
    sink = new BotApiSink({ blockedChatIds: blocked });
    const url = await sink.start();
    sinkUrl = url;
    clock = new TestClock(new Date('2026-11-25T04:00:00Z'));
    deps = {
      outbox: repos.outbox,
      caps: repos.caps,
      guardSettings: repos.guardSettings,
      content: repos.content,
      courses: createRepositories(database.db).courses,
      messengers: new Map([['telegram', new SinkMessenger(url)]]),
      clock,
      logger: createLogger('silent'),
    };
  });
  afterAll(async () => {
    await sink.stop();
    await database.close();
  });
  beforeEach(async () => {
    await repos.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '21:00', end: '09:00' } });
  });

  const prefix = () => `${7_000_000 + ++prefixCounter * 1000}`;
  const drain = async () => {
    let total = 0;
    for (;;) {
      const counts = await dispatchOutbox(deps, options);
      if (counts.claimed === 0) return total;
      total += counts.sent;
    }
  };
  const broadcast = async (input: Partial<BroadcastInput> & { followerIds: string[] }) => {
    const campaign = await createBroadcast({ campaigns: repos.campaigns, courses: deps.courses as never, clock }, {
      name: 'test',
      variants: [{ key: 'A', text: { en: 'Hello from the course team', 'zh-CN': '课程团队向你问好' } }],
      ...input,
    }, ADMIN);
    // Target exactly these followers through the real segment path: a course only they own.
    const tag = `t${campaign.id.slice(0, 8)}`;
    const [course] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor) VALUES (${tag}, ${tag}, ${tag}, 100) RETURNING id`);
    await database.db.execute(sql`UPDATE campaigns SET segment = ${JSON.stringify({ ownsCourseId: course!.id })}::jsonb WHERE id = ${campaign.id}::uuid`);
    for (const id of input.followerIds) {
      await database.db.execute(sql`INSERT INTO entitlements (follower_id, course_id) VALUES (${id}::uuid, ${course!.id}::uuid)`);
    }
    await enqueueBroadcast({ campaigns: repos.campaigns, audience: repos.audience, outbox: repos.outbox, clock }, campaign.id);
    return campaign.id;
  };
  const received = (chatPrefix: string) => sink.messages.filter((m) => m.chatId.startsWith(chatPrefix));

  it('sends each follower one message in their language with the opt-out line; planning again adds nothing', async () => {
    clock.set(new Date('2026-11-25T04:00:00Z'));
    const p = prefix();
    const en = await seedFollowers(database.db, 2, { prefix: `${p}1`, locale: 'en', timeZone: 'Asia/Shanghai' });
    const zh = await seedFollowers(database.db, 1, { prefix: `${p}2`, locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    const id = await broadcast({ followerIds: [...en, ...zh] });
    expect(await drain()).toBe(3);
    const messages = received(p);
    expect(messages).toHaveLength(3);
    expect(messages.filter((m) => m.text === 'Hello from the course team\n\nReply /stop to unsubscribe')).toHaveLength(2);
    expect(messages.filter((m) => m.text === '课程团队向你问好\n\n回复"退订"取消订阅')).toHaveLength(1);
    const again = await enqueueBroadcast({ campaigns: repos.campaigns, audience: repos.audience, outbox: repos.outbox, clock }, id);
    expect(again.enqueued).toBe(0);
    expect(await drain()).toBe(0);
    const progress = await repos.campaigns.progress(id);
    expect(progress).toMatchObject({ total: 3, sent: 3, delivered: 3, queued: 0 });
  });

  it('holds messages in quiet hours of each follower zone until the window ends, then sends them', async () => {
    // 15:00Z: 23:00 in Shanghai (quiet), 15:00 in London, 10:00 in New York.
    clock.set(new Date('2026-11-25T15:00:00Z'));
    const p = prefix();
    const shanghai = await seedFollowers(database.db, 1, { prefix: `${p}1`, timeZone: 'Asia/Shanghai' });
    const london = await seedFollowers(database.db, 1, { prefix: `${p}2`, timeZone: 'Europe/London' });
    const newYork = await seedFollowers(database.db, 1, { prefix: `${p}3`, timeZone: 'America/New_York' });
    const id = await broadcast({ followerIds: [...shanghai, ...london, ...newYork] });
    expect(await drain()).toBe(2);
    expect(received(`${p}1`)).toHaveLength(0);
    expect((await repos.campaigns.progress(id)).held.quiet_hours).toBe(1);
    const [held] = await queryRows<{ not_before: Date | string }>(database.db, sql`SELECT not_before FROM outbox WHERE campaign_id = ${id}::uuid AND status = 'queued'`);
    expect(new Date(held!.not_before).toISOString()).toBe('2026-11-26T01:00:00.000Z');
    clock.set(new Date('2026-11-26T00:59:00Z'));
    expect(await drain()).toBe(0);
    clock.set(new Date('2026-11-26T01:00:00Z'));
    expect(await drain()).toBe(1);
    expect(received(p)).toHaveLength(3);
  });

  it('caps messages per follower per local day and week across campaigns; the first claim wins', async () => {
    await repos.guardSettings.update({ dailyCap: 1, weeklyCap: 2, quietHours: { start: '21:00', end: '09:00' } });
    const p = prefix();
    const [f] = await seedFollowers(database.db, 1, { prefix: p, timeZone: 'UTC' });
    const day = (d: number) => new Date(Date.UTC(2026, 10, 25 + d, 12));
    const outcomes: string[] = [];
    // Wed, Wed, Thu, Fri (ISO week 48), then Mon (week 49).
    for (const d of [0, 0, 1, 2, 5]) {
      clock.set(day(d));
      const id = await broadcast({ followerIds: [f!] });
      await drain();
      const progress = await repos.campaigns.progress(id);
      outcomes.push(progress.sent === 1 ? 'sent' : progress.skipped.capped === 1 ? 'capped' : JSON.stringify(progress));
    }
    expect(outcomes).toEqual(['sent', 'capped', 'sent', 'capped', 'sent']);
    expect(received(p)).toHaveLength(3);
  });

  it('lets exactly one of two concurrent dispatchers use the last cap slot', async () => {
    await repos.guardSettings.update({ dailyCap: 1, weeklyCap: 5, quietHours: { start: '21:00', end: '09:00' } });
    clock.set(new Date('2026-12-02T12:00:00Z'));
    const p = prefix();
    const [f] = await seedFollowers(database.db, 1, { prefix: p, timeZone: 'UTC' });
    const a = await broadcast({ followerIds: [f!] });
    const b = await broadcast({ followerIds: [f!] });
    await Promise.all([dispatchOutbox(deps, { ...options, batchSize: 1 }), dispatchOutbox(deps, { ...options, batchSize: 1 })]);
    await drain();
    const [pa, pb] = [await repos.campaigns.progress(a), await repos.campaigns.progress(b)];
    expect(pa.sent + pb.sent).toBe(1);
    expect(pa.skipped.capped + pb.skipped.capped).toBe(1);
    expect(received(p)).toHaveLength(1);
  });

  it('skips a follower who opts out in the middle of a broadcast, and one who withdraws consent after planning', async () => {
    clock.set(new Date('2026-12-03T12:00:00Z'));
    const p = prefix();
    const ids = await seedFollowers(database.db, 10, { prefix: p, timeZone: 'UTC' });
    const [noConsent] = await seedFollowers(database.db, 1, { prefix: `${p}9`, timeZone: 'UTC' });
    const id = await broadcast({ followerIds: [...ids, noConsent!] });
    // Planned while consenting; the guard reads consent again at send time.
    await database.db.execute(sql`UPDATE followers SET has_marketing_consent = false WHERE id = ${noConsent!}::uuid`);
    const first = await dispatchOutbox(deps, { ...options, batchSize: 4, concurrency: 1 });
    expect(first.claimed).toBe(4);
    const [sentIds, pending] = [
      (await queryRows<{ follower_id: string }>(database.db, sql`SELECT follower_id FROM outbox WHERE campaign_id = ${id}::uuid AND status = 'sent'`)).map((r) => r.follower_id),
      (await queryRows<{ follower_id: string }>(database.db, sql`SELECT follower_id FROM outbox WHERE campaign_id = ${id}::uuid AND status = 'queued' AND follower_id <> ${noConsent!}::uuid ORDER BY id LIMIT 1`))[0]!.follower_id,
    ];
    expect(sentIds).not.toContain(pending);
    await createRepositories(database.db).followers.update(pending, { isOptedOut: true });
    await drain();
    const progress = await repos.campaigns.progress(id);
    expect(progress).toMatchObject({ sent: 9, skipped: { opted_out: 1, no_consent: 1, total: 2 } });
    expect(first.sent + first.skipped).toBe(4);
    const chatOfPending = (await queryRows<{ external_id: string }>(database.db, sql`SELECT external_id FROM identities WHERE follower_id = ${pending}::uuid`))[0]!.external_id;
    expect(sink.messages.some((m) => m.chatId === chatOfPending)).toBe(false);
    expect(received(p)).toHaveLength(9);
  });

  it('marks a follower who blocked the bot unreachable without stopping the broadcast', async () => {
    clock.set(new Date('2026-12-04T12:00:00Z'));
    const p = prefix();
    const ids = await seedFollowers(database.db, 3, { prefix: p, timeZone: 'UTC' });
    blocked.add(`${p}2`);
    const id = await broadcast({ followerIds: ids });
    await drain();
    expect(await repos.campaigns.progress(id)).toMatchObject({ sent: 2, blocked: 1 });
    const follower = await createRepositories(database.db).followers.findByIdentity('telegram', `${p}2`);
    expect(follower?.isReachable).toBe(false);
  });

  it('takes a message back after a dispatcher died holding its lease, and sends it once', async () => {
    clock.set(new Date('2026-12-05T12:00:00Z'));
    const p = prefix();
    const ids = await seedFollowers(database.db, 2, { prefix: p, timeZone: 'UTC' });
    const id = await broadcast({ followerIds: ids });
    const leased = await repos.outbox.claimDue(clock.now(), 1, 60_000);
    expect(leased).toHaveLength(1);
    // The "dead" dispatcher never marks it; another one skips it while the lease holds...
    expect(await drain()).toBe(1);
    clock.advance(61_000);
    // ...and takes it once the lease has run out.
    expect(await drain()).toBe(1);
    expect(received(p)).toHaveLength(2);
    const rows = await queryRows<{ attempts: number }>(database.db, sql`SELECT attempts FROM outbox WHERE campaign_id = ${id}::uuid ORDER BY attempts`);
    expect(rows.map((r) => r.attempts)).toEqual([1, 2]);
  });

  it('leases to a process only the messages it can send: its platforms, or followers with no chat', async () => {
    clock.set(new Date('2026-12-06T12:00:00Z'));
    const p = prefix();
    const [onTelegram, onWechat, onBoth, onNone] = await seedFollowers(database.db, 4, { prefix: p, timeZone: 'UTC' });
    // One follower on WeChat only, one on both (Telegram is preferred); one loses their chat after planning.
    await database.db.execute(sql`UPDATE identities SET kind = 'wechat' WHERE follower_id = ${onWechat}::uuid`);
    await database.db.execute(sql`INSERT INTO identities (kind, external_id, follower_id) VALUES ('wechat', ${`wx-${p}`}, ${onBoth}::uuid)`);
    await broadcast({ followerIds: [onTelegram!, onWechat!, onBoth!, onNone!] });
    await database.db.execute(sql`UPDATE identities SET kind = 'mp_openid' WHERE follower_id = ${onNone}::uuid`);
    const wechatOnly = await repos.outbox.claimDue(clock.now(), 10, 60_000, ['wechat']);
    expect(wechatOnly.map((m) => [m.follower.id, m.recipient?.platform ?? null]).sort()).toEqual([[onNone, null], [onWechat, 'wechat']].sort());
    const telegramOnly = await repos.outbox.claimDue(clock.now(), 10, 60_000, ['telegram']);
    expect(telegramOnly.map((m) => [m.follower.id, m.recipient?.platform]).sort()).toEqual([[onBoth, 'telegram'], [onTelegram, 'telegram']].sort());
    // Leased and never marked, like a dispatcher that died: let them run out so later tests do not see them.
    await database.db.execute(sql`DELETE FROM outbox WHERE follower_id IN (${onTelegram}::uuid, ${onWechat}::uuid, ${onBoth}::uuid, ${onNone}::uuid)`);
  });

  it('sends a broadcast through a messenger that takes whole batches, once each, and recovers keys a dead dispatcher left in progress', async () => {
    clock.set(new Date('2026-12-07T12:00:00Z'));
    const messenger = new TelegramMessenger({
      telegram: new Telegram('123:test', { apiRoot: sinkUrl }), sendLog: new PgSendLogRepository(database.db), followers: createRepositories(database.db).followers,
      limiter: new RateLimiter({ globalPerSecond: 1000, privateChatPerSecond: 1000, groupPerMinute: 1000 }), logger: createLogger('silent'),
    });
    const batchDeps: DispatchDeps = { ...deps, messengers: new Map([['telegram', messenger]]) };
    const p = prefix();
    const ids = await seedFollowers(database.db, 7, { prefix: p, timeZone: 'UTC' });
    const id = await broadcast({ followerIds: ids });
    // A dispatcher leases two messages, claims their keys in the send log and dies before sending.
    const leased = await repos.outbox.claimDue(clock.now(), 2, 60_000);
    await new PgSendLogRepository(database.db).startMany(leased.map((m) => ({ platform: 'telegram', followerId: m.follower.id, chatId: m.recipient!.chatId, purpose: 'marketing', idempotencyKey: `outbox:${m.id}`, replyCount: 1 })));
    expect(await dispatchOutbox(batchDeps, { ...options, batchSize: 3 })).toMatchObject({ claimed: 3, sent: 3 });
    while ((await dispatchOutbox(batchDeps, options)).claimed > 0);
    expect(received(p)).toHaveLength(5);
    clock.advance(61_000);
    expect(await dispatchOutbox(batchDeps, options)).toMatchObject({ claimed: 2, sent: 2 });
    const perChat = new Map<string, number>();
    for (const m of received(p)) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
    expect([...perChat.values()]).toEqual(Array(7).fill(1));
    expect(await repos.campaigns.progress(id)).toMatchObject({ sent: 7, delivered: 7 });
    const keys = await queryRows<{ key: string; status: string }>(database.db,
      sql`SELECT s.idempotency_key AS key, s.status FROM outbox o JOIN sends s ON s.idempotency_key LIKE 'outbox:' || o.id || '%' WHERE o.campaign_id = ${id}::uuid ORDER BY s.id`);
    // The dead dispatcher's rows were closed and taken again under the same key: one row per message, all sent, none stuck.
    expect(keys).toHaveLength(7);
    expect(keys.every((k) => k.status === 'sent')).toBe(true);
  });

  it('pauses, resumes and cancels broadcasts', async () => {
    clock.set(new Date('2026-12-06T12:00:00Z'));
    const p = prefix();
    const ids = await seedFollowers(database.db, 3, { prefix: p, timeZone: 'UTC' });
    const paused = await broadcast({ followerIds: ids });
    await controlBroadcast({ campaigns: repos.campaigns, clock }, paused, 'pause');
    expect(await drain()).toBe(0);
    await controlBroadcast({ campaigns: repos.campaigns, clock }, paused, 'resume');
    expect(await drain()).toBe(3);
    const cancelled = await broadcast({ followerIds: ids });
    await controlBroadcast({ campaigns: repos.campaigns, clock }, cancelled, 'cancel');
    expect(await drain()).toBe(0);
    expect(await repos.campaigns.progress(cancelled)).toMatchObject({ cancelled: 3, sent: 0 });
    await expect(controlBroadcast({ campaigns: repos.campaigns, clock }, cancelled, 'resume')).rejects.toThrow(/Cannot resume a broadcast that is cancelled/);
  });
});
