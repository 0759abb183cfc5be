import request from 'supertest';
import { sql } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { createLogger } from '../../adapters/index.js';
import { RateLimiter, TelegramMessenger } from '../../adapters/telegram/index.js';
import { createCampaignMounts } from '../../bots/wire-jobs.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { dispatchOutbox, isInControlGroup, scanRetargeting, type DispatchDeps } from '../../core/campaigns/index.js';
import type { Messenger } from '../../core/index.js';
import { createRepositories, PgSendLogRepository, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { createTestApp, TestClock, type TestApp } from '../support/http.js';
import { BotApiSink } from './campaigns-support/bot-api-sink.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';

const AUDIENCE = 400;

/**
 * Incrementality: the global control group (guard settings) and a broadcast's own holdout are
 * never sent it, stay the same followers, and are the baseline its results measure lift against.
 */
describe.each(testTargets())('control group, holdouts and incremental results on %s', (target) => {
  let database: Database;
  let repos: CampaignRepositories;
  let t: TestApp;
  let clock: TestClock;
  let sink: BotApiSink;
  let deps: DispatchDeps;
  let courseId = '';
  let followers: string[] = [];
  const logger = createLogger('silent');

  beforeAll(async () => {
    database = await openTestDatabase(target);
    repos = createCampaignRepositories(database.db);
    clock = new TestClock(new Date('2026-11-25T04:00:00Z'));
    const core = createRepositories(database.db);
    const [course] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, price_stars, status, tags)
      VALUES ('holdout-course', '增量课', 'Lift course', 9900, 100, 'on_sale', '{python}') RETURNING id`);
    courseId = course!.id;
    followers = await seedFollowers(database.db, AUDIENCE, { prefix: '88000', timeZone: 'Asia/Shanghai' });
    const { recommender } = buildRecommender({ db: database.db, repos: core, clock, logger });
    sink = new BotApiSink();
    const sinkUrl = await sink.start();
    const telegram = new TelegramMessenger({
      telegram: new Telegram('123:test', { apiRoot: sinkUrl }), sendLog: new PgSendLogRepository(database.db), followers: core.followers,
      limiter: new RateLimiter({ globalPerSecond: 10_000, privateChatPerSecond: 1000, groupPerMinute: 1000 }), logger,
      timer: { nowMs: () => clock.now().getTime(), sleep: async () => undefined },
    });
    deps = {
      outbox: repos.outbox, caps: repos.caps, guardSettings: repos.guardSettings, content: repos.content, courses: core.courses,
      messengers: new Map<'telegram', Messenger>([['telegram', telegram]]), recommender, crossSell: repos.rules, clock, logger,
    };
    t = createTestApp(database, { clock, mounts: createCampaignMounts({ repos, courses: core.courses, clock, recommender }) });
  });
  afterAll(async () => {
    await sink.stop();
    await database.close();
  });

  const drain = async () => {
    while ((await dispatchOutbox(deps, { batchSize: 100, leaseMs: 60_000, concurrency: 4, maxAttempts: 3 })).claimed > 0);
  };
  const held = (campaignId: string) =>
    queryRows<{ follower_id: string; reason: string }>(database.db, sql`SELECT follower_id, reason FROM campaign_holdouts WHERE campaign_id = ${campaignId}::uuid`);

  it('keeps the control group and the holdout out of a broadcast, the same followers every time, and sends to everyone else', async () => {
    const settings = await request(t.app).put('/api/guard-settings').set(t.auth)
      .send({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '23:00', end: '06:00' }, controlPercent: 10 }).expect(200);
    expect(settings.body.controlPercent).toBe(10);
    const composed = await request(t.app).post('/api/broadcasts').set(t.auth)
      .send({ name: 'lift', variants: [{ key: 'A', text: { zh: '新课 {course}', en: 'New course {course}' }, courseId }], holdoutPercent: 20 }).expect(201);
    const campaignId = composed.body.broadcast.id as string;
    expect(composed.body.broadcast.holdoutPercent).toBe(20);

    const controls = followers.filter((id) => isInControlGroup(id, 10));
    const rows = await held(campaignId);
    expect(rows.filter((r) => r.reason === 'control_group').map((r) => r.follower_id).sort()).toEqual([...controls].sort());
    const holdouts = rows.filter((r) => r.reason === 'holdout');
    // 20 % of the 360 or so outside the control group, by a hash: between 12 % and 28 %.
    expect(holdouts.length).toBeGreaterThan(0.12 * (AUDIENCE - controls.length));
    expect(holdouts.length).toBeLessThan(0.28 * (AUDIENCE - controls.length));
    expect(composed.body).toMatchObject({ audienceSize: AUDIENCE, heldOut: rows.length, enqueued: AUDIENCE - rows.length });

    await drain();
    const heldIds = new Set(rows.map((r) => r.follower_id));
    const sentTo = await queryRows<{ follower_id: string }>(database.db, sql`SELECT follower_id FROM outbox WHERE campaign_id = ${campaignId}::uuid AND status = 'sent'`);
    expect(sentTo).toHaveLength(AUDIENCE - rows.length);
    expect(sentTo.filter((r) => heldIds.has(r.follower_id))).toEqual([]);
    // Every chat the Bot API was sent to is one of those sent the broadcast (the card may take two messages).
    const heldChats = new Set((await queryRows<{ external_id: string }>(database.db, sql`SELECT external_id FROM identities WHERE follower_id IN (SELECT follower_id FROM campaign_holdouts WHERE campaign_id = ${campaignId}::uuid)`)).map((r) => r.external_id));
    const chats = new Set(sink.messages.map((m) => m.chatId));
    expect(chats.size).toBe(AUDIENCE - rows.length);
    expect([...chats].filter((chat) => heldChats.has(chat))).toEqual([]);

    // A second broadcast: the same control group (a stable hash), a different holdout.
    const second = await request(t.app).post('/api/broadcasts').set(t.auth)
      .send({ name: 'lift 2', variants: [{ key: 'A', text: { zh: '新课 {course}', en: 'New course {course}' }, courseId }], holdoutPercent: 20 }).expect(201);
    const again = await held(second.body.broadcast.id as string);
    expect(again.filter((r) => r.reason === 'control_group').map((r) => r.follower_id).sort()).toEqual([...controls].sort());
    expect(again.filter((r) => r.reason === 'holdout').map((r) => r.follower_id).sort()).not.toEqual(holdouts.map((r) => r.follower_id).sort());
  });

  it('reports incremental buyers and revenue against the held-out members, counting only purchases inside each one’s window', async () => {
    const composed = await request(t.app).post('/api/broadcasts').set(t.auth)
      .send({ name: 'lift 3', variants: [{ key: 'A', text: { zh: '新课 {course}', en: 'New course {course}' }, courseId }], holdoutPercent: 30, attributionHours: 48 }).expect(201);
    const campaignId = composed.body.broadcast.id as string;
    await drain();
    const heldRows = await held(campaignId);
    const heldIds = heldRows.map((r) => r.follower_id);
    const sentIds = (await queryRows<{ follower_id: string }>(database.db, sql`SELECT follower_id FROM outbox WHERE campaign_id = ${campaignId}::uuid ORDER BY id`)).map((r) => r.follower_id);
    const buy = async (followerId: string, hoursAfter: number, amountMinor = 9900) => {
      await database.db.execute(sql`INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
        VALUES (${followerId}::uuid, ${courseId}::uuid, ${amountMinor}, 'CNY', 'manual', 'paid', ${new Date(clock.now().getTime() + hoursAfter * 3_600_000).toISOString()}::timestamptz)`);
    };
    // 30 of those sent buy within the window (one of them twice), one after it; 3 of those held out buy within theirs.
    for (const id of sentIds.slice(0, 30)) await buy(id, 2);
    await buy(sentIds[0]!, 3, 4900);
    await buy(sentIds[40]!, 60);
    for (const id of heldIds.slice(0, 3)) await buy(id, 5);

    const results = await request(t.app).get(`/api/broadcasts/${campaignId}/results`).set(t.auth).expect(200);
    const { incremental } = results.body;
    const nSent = sentIds.length;
    const nHeld = heldIds.length;
    expect(incremental.sent).toEqual({ members: nSent, buyers: 30, rate: 30 / nSent });
    expect(incremental.heldOut).toEqual({ members: nHeld, buyers: 3, rate: 3 / nHeld });
    expect(incremental.lift.absolute).toBeCloseTo(30 / nSent - 3 / nHeld, 10);
    expect(incremental.lift.interval[0]).toBeLessThan(incremental.lift.absolute);
    expect(incremental.lift.interval[1]).toBeGreaterThan(incremental.lift.absolute);
    expect(incremental.incrementalBuyers.estimate).toBeCloseTo((30 / nSent - 3 / nHeld) * nSent, 6);
    const perMember = (30 * 9900 + 4900) / nSent - (3 * 9900) / nHeld;
    expect(incremental.incrementalRevenue).toEqual([{ currency: 'CNY', estimateMinor: Math.round(perMember * nSent), intervalMinor: [expect.any(Number), expect.any(Number)] }]);
    const [low, high] = incremental.incrementalRevenue[0].intervalMinor;
    expect(low).toBeLessThan(Math.round(perMember * nSent));
    expect(high).toBeGreaterThan(Math.round(perMember * nSent));
  });

  it('sends a best-time broadcast at each follower’s own busiest local hour within 24 h, never in quiet hours', async () => {
    // Quiet hours are 23:00–06:00 (set above); it is 12:00 in Shanghai.
    const [morning, night, quiet] = await seedFollowers(database.db, 3, { prefix: '88900', timeZone: 'Asia/Shanghai' });
    const [silent] = await seedFollowers(database.db, 1, { prefix: '88901', timeZone: 'Europe/Berlin' });
    const [marker] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor) VALUES ('best-time-marker', 'm', 'm', 100) RETURNING id`);
    const activity: Array<[string, number, number]> = [[morning!, 8, 5], [morning!, 19, 2], [night!, 21, 4], [quiet!, 2, 9], [quiet!, 15, 1]];
    let n = 0;
    for (const [followerId, shanghaiHour, times] of activity) {
      for (let i = 0; i < times; i++) {
        const at = new Date(Date.UTC(2026, 10, 20 - i, shanghaiHour - 8 < 0 ? shanghaiHour + 16 : shanghaiHour - 8, 15));
        await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, occurred_at) VALUES (${followerId}::uuid, 'message', 'telegram', ${`bt-${++n}`}, ${at.toISOString()}::timestamptz)`);
      }
    }
    for (const id of [morning, night, quiet, silent]) await database.db.execute(sql`INSERT INTO entitlements (follower_id, course_id) VALUES (${id}::uuid, ${marker!.id}::uuid)`);
    const composed = await request(t.app).post('/api/broadcasts').set(t.auth)
      .send({ name: 'best', segment: { ownsCourseId: marker!.id }, variants: [{ key: 'A', text: { en: 'Hello' } }], sendTime: { mode: 'best_time' } }).expect(201);
    expect(composed.body.broadcast.sendMode).toBe('best_time');
    const due = new Map((await queryRows<{ follower_id: string; not_before: Date | string }>(database.db,
      sql`SELECT follower_id, not_before FROM outbox WHERE campaign_id = ${composed.body.broadcast.id}::uuid`)).map((r) => [r.follower_id, new Date(r.not_before).toISOString()]));
    const held = new Map((await queryRows<{ follower_id: string; held_at: Date | string }>(database.db,
      sql`SELECT follower_id, held_at FROM campaign_holdouts WHERE campaign_id = ${composed.body.broadcast.id}::uuid`)).map((r) => [r.follower_id, new Date(r.held_at).toISOString()]));
    const when = (id: string) => due.get(id) ?? held.get(id);
    expect(when(morning!)).toBe('2026-11-26T00:00:00.000Z'); // 08:00 Shanghai tomorrow: today's 08:00 has passed
    expect(when(night!)).toBe('2026-11-25T13:00:00.000Z'); // 21:00 Shanghai today
    expect(when(quiet!)).toBe('2026-11-25T07:00:00.000Z'); // 02:00 is quiet: their next busiest hour, 15:00
    // No activity of their own: the busiest allowed hour of everybody (08:00 local, the most events above) in Berlin.
    expect(when(silent!)).toBe('2026-11-25T07:00:00.000Z'); // 05:00 in Berlin now: today's 08:00
  });

  it('holds out a retargeting rule’s share and the control group once per occasion, and reports what the rule adds', async () => {
    await request(t.app).put('/api/guard-settings').set(t.auth).send({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '23:00', end: '06:00' }, controlPercent: 10 }).expect(200);
    // Followers of their own: the broadcasts above gave purchases to the shared ones.
    const viewers = await seedFollowers(database.db, 120, { prefix: '88500', timeZone: 'Asia/Shanghai' });
    for (const id of viewers) {
      await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at)
        VALUES (${id}::uuid, 'view', 'api', ${`rt-view-${id}`}, ${courseId}::uuid, ${new Date(clock.now().getTime() - 2 * 3_600_000).toISOString()}::timestamptz)`);
    }
    const created = await request(t.app).post('/api/retargeting-rules').set(t.auth).send({
      name: 'viewed-lift', trigger: 'viewed_not_bought', params: { hours: 1 }, holdoutPercent: 40, attributionHours: 48,
      variants: [{ key: 'A', text: { zh: '还在考虑 {course} 吗？', en: 'Still thinking about {course}?' }, courseId }],
    }).expect(201);
    const ruleId = created.body.id as string;
    expect(created.body.holdoutPercent).toBe(40);
    const scan = () => scanRetargeting({ rules: repos.rules, outbox: repos.outbox, clock, logger, settings: repos.guardSettings }, { limitPerRule: 1000 });
    const first = await scan();
    expect(first.byRule['viewed-lift']).toMatchObject({ matched: viewers.length });
    const heldRows = await queryRows<{ follower_id: string; reason: string }>(database.db, sql`SELECT follower_id, reason FROM retargeting_holdouts WHERE rule_id = ${ruleId}::uuid`);
    const controls = viewers.filter((id) => isInControlGroup(id, 10));
    expect(heldRows.filter((r) => r.reason === 'control_group').map((r) => r.follower_id).sort()).toEqual([...controls].sort());
    const holdouts = heldRows.filter((r) => r.reason === 'holdout');
    expect(holdouts.length).toBeGreaterThan(0.25 * (viewers.length - controls.length));
    expect(holdouts.length).toBeLessThan(0.55 * (viewers.length - controls.length));
    expect(first.byRule['viewed-lift']).toMatchObject({ enqueued: viewers.length - heldRows.length, heldOut: heldRows.length });
    // A rescan finds no occasion again: neither those sent nor those held out.
    expect((await scan()).byRule['viewed-lift']).toEqual({ matched: 0, enqueued: 0, heldOut: 0 });

    await drain();
    const sentIds = (await queryRows<{ follower_id: string }>(database.db, sql`SELECT follower_id FROM outbox WHERE campaign_id = ${ruleId}::uuid AND status = 'sent' ORDER BY id`)).map((r) => r.follower_id);
    expect(sentIds).toHaveLength(viewers.length - heldRows.length);
    const heldIds = heldRows.map((r) => r.follower_id);
    expect(sentIds.filter((id) => heldIds.includes(id))).toEqual([]);
    const buy = async (followerId: string) => {
      await database.db.execute(sql`INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
        VALUES (${followerId}::uuid, ${courseId}::uuid, 9900, 'CNY', 'manual', 'paid', ${new Date(clock.now().getTime() + 3 * 3_600_000).toISOString()}::timestamptz)`);
    };
    for (const id of sentIds.slice(0, 12)) await buy(id);
    for (const id of heldIds.slice(0, 2)) await buy(id);
    const { incremental } = (await request(t.app).get(`/api/retargeting-rules/${ruleId}/results`).set(t.auth).expect(200)).body;
    expect(incremental.sent).toEqual({ members: sentIds.length, buyers: 12, rate: 12 / sentIds.length });
    expect(incremental.heldOut).toEqual({ members: heldIds.length, buyers: 2, rate: 2 / heldIds.length });
    expect(incremental.lift.absolute).toBeCloseTo(12 / sentIds.length - 2 / heldIds.length, 10);
  });
});
