import request from 'supertest';
import { sql } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { createLogger } from '../../adapters/index.js';
import { RateLimiter, TelegramMessenger } from '../../adapters/telegram/index.js';
import { createCampaignMounts } from '../../bots/wire-jobs.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { dispatchOutbox, type DispatchDeps } from '../../core/campaigns/index.js';
import type { CourseCard, Messenger, Recipient, Reply, SendResult } from '../../core/index.js';
import { createRepositories, PgSendLogRepository, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { PgCoursePurchaseRates } from '../../models/repositories/pg-course-purchase-rates.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { createTestApp, TestClock, type TestApp } from '../support/http.js';
import { BotApiSink } from './campaigns-support/bot-api-sink.js';
import { SinkMessenger } from './campaigns-support/sink-messenger.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';

/** WeChat's messenger needs a logged-in puppet; this one keeps what it is asked to send, answering after a delay like a slow account. */
class RecordingWechatMessenger implements Messenger {
  readonly platform = 'wechat' as const;
  readonly sent: Array<{ chatId: string; replies: readonly Reply[] }> = [];
  async send(to: Recipient, replies: readonly Reply[]): Promise<SendResult> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.sent.push({ chatId: to.chatId, replies });
    return { status: 'sent', providerMessageIds: [`wx-${this.sent.length}`] };
  }
}

const options = { batchSize: 50, leaseMs: 60_000, concurrency: 4, maxAttempts: 3 };

describe.each(testTargets())('each follower’s own offer, reach, priority and attribution on %s', (target) => {
  let database: Database;
  let repos: CampaignRepositories;
  let t: TestApp;
  let clock: TestClock;
  let sink: BotApiSink;
  let sinkUrl: string;
  let wechat: RecordingWechatMessenger;
  let deps: DispatchDeps;
  let counter = 0;
  const courses: Record<'python' | 'photo' | 'design', string> = { python: '', photo: '', design: '' };
  const logger = createLogger('silent');

  beforeAll(async () => {
    database = await openTestDatabase(target);
    repos = createCampaignRepositories(database.db);
    clock = new TestClock(new Date('2026-11-25T04:00:00Z'));
    const core = createRepositories(database.db);
    for (const [key, tag, priceMinor, stars] of [['python', 'python', 9900, 100], ['photo', 'photography', 19900, 250], ['design', 'design', 4900, 60]] as const) {
      const [row] = await queryRows<{ id: string }>(
        database.db,
        sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, price_stars, status, tags)
            VALUES (${`mk-${key}`}, ${`${key} 课`}, ${`${key} course`}, ${priceMinor}, ${stars}, 'on_sale', ${`{${tag}}`}::text[]) RETURNING id`,
      );
      courses[key] = row!.id;
    }
    const { recommender } = buildRecommender({ db: database.db, repos: core, clock, logger });
    sink = new BotApiSink();
    sinkUrl = await sink.start();
    const telegram = new TelegramMessenger({
      telegram: new Telegram('123:test', { apiRoot: sinkUrl }), sendLog: new PgSendLogRepository(database.db), followers: core.followers,
      limiter: new RateLimiter({ globalPerSecond: 1000, privateChatPerSecond: 1000, groupPerMinute: 1000 }), logger,
      timer: { nowMs: () => clock.now().getTime(), sleep: async () => undefined },
    });
    wechat = new RecordingWechatMessenger();
    deps = {
      outbox: repos.outbox, caps: repos.caps, guardSettings: repos.guardSettings, content: repos.content, courses: core.courses,
      messengers: new Map<'telegram' | 'wechat', Messenger>([['telegram', telegram], ['wechat', wechat]]), recommender, crossSell: repos.rules, clock, logger,
    };
    t = createTestApp(database, { clock, mounts: createCampaignMounts({ repos, courses: core.courses, clock, recommender }) });
    await repos.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '21:00', end: '09:00' } });
  });
  afterAll(async () => {
    await sink.stop();
    await database.close();
  });

  const drain = async (d: DispatchDeps = deps) => {
    while ((await dispatchOutbox(d, options)).claimed > 0);
  };
  /** A draft course only `followerIds` own: a segment that selects exactly them, and never recommended (not on sale). */
  const marker = async (followerIds: readonly string[]) => {
    const slug = `marker-${++counter}`;
    const [row] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor) VALUES (${slug}, ${slug}, ${slug}, 100) RETURNING id`);
    for (const id of followerIds) await database.db.execute(sql`INSERT INTO entitlements (follower_id, course_id) VALUES (${id}::uuid, ${row!.id}::uuid)`);
    return row!.id;
  };
  const viewed = async (followerId: string, courseId: string, times: number) => {
    for (let i = 0; i < times; i++) {
      await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at)
        VALUES (${followerId}::uuid, 'view', 'api', ${`v-${followerId}-${courseId}-${i}`}, ${courseId}::uuid, ${new Date(clock.now().getTime() - (i + 1) * 3_600_000).toISOString()}::timestamptz)`);
    }
  };
  const compose = (body: Record<string, unknown>) => request(t.app).post('/api/broadcasts').set(t.auth).send({ name: `b${++counter}`, ...body });
  const outboxOf = (campaignId: string) =>
    queryRows<{ follower_id: string; status: string; skip_reason: string | null; shown_course_id: string | null; pick: string | null; sent_at: unknown }>(
      database.db,
      sql`SELECT follower_id, status, skip_reason, shown_course_id, pick, sent_at FROM outbox WHERE campaign_id = ${campaignId}::uuid ORDER BY id`,
    );

  it('sends each follower their own pick with its reason, never a course they own, priced for their channel', async () => {
    const p = `${8_100_000 + ++counter * 100}`;
    const [pythonFan, photoFan, pythonOwner] = await seedFollowers(database.db, 3, { prefix: p, timeZone: 'Asia/Shanghai' });
    const [wechatFan] = await seedFollowers(database.db, 1, { prefix: `${p}9`, timeZone: 'Asia/Shanghai', locale: 'zh-CN' });
    await database.db.execute(sql`UPDATE identities SET kind = 'wechat' WHERE follower_id = ${wechatFan!}::uuid`);
    await viewed(pythonFan!, courses.python, 4);
    await viewed(photoFan!, courses.photo, 4);
    await viewed(pythonOwner!, courses.python, 4);
    await viewed(wechatFan!, courses.python, 4);
    await database.db.execute(sql`INSERT INTO entitlements (follower_id, course_id) VALUES (${pythonOwner!}::uuid, ${courses.python}::uuid)`);
    const segment = { ownsCourseId: await marker([pythonFan!, photoFan!, pythonOwner!, wechatFan!]) };

    const preview = await request(t.app).post('/api/segments/preview').set(t.auth).send({ segment, pick: 'recommended', pickSampleSize: 50 }).expect(200);
    expect(preview.body.size).toBe(4);
    const shares = preview.body.picks.courses as Array<{ courseId: string; followers: number; titleEn: string }>;
    expect(shares.reduce((n, s) => n + s.followers, 0)).toBe(4);
    expect(shares.find((s) => s.courseId === courses.python)).toMatchObject({ followers: 2, titleEn: 'python course' });

    const text = { en: 'Picked for you: {course} at {price}. {reason}', 'zh-CN': '为你挑选：{course}，{price}。{reason}' };
    const created = await compose({ segment, variants: [{ key: 'A', text, pick: 'recommended' }] }).expect(201);
    await drain();
    const rows = await outboxOf(created.body.broadcast.id);
    const shown = new Map(rows.map((r) => [r.follower_id, r.shown_course_id]));
    expect(rows.every((r) => r.status === 'sent' && r.pick === 'recommended')).toBe(true);
    expect(shown.get(pythonFan!)).toBe(courses.python);
    expect(shown.get(photoFan!)).toBe(courses.photo);
    expect(shown.get(pythonOwner!)).not.toBe(courses.python);
    expect(shown.get(wechatFan!)).toBe(courses.python);

    // Telegram: the card and its Buy button both in Stars; the reason in the follower's words.
    const [toFan] = sink.messages.filter((m) => m.chatId === `${p}1`);
    expect(toFan!.text).toContain('Picked for you: python course at 100 ⭐.');
    expect(toFan!.text).not.toMatch(/\{reason\}|¥/);
    const card = sink.messages.find((m) => m.chatId === `${p}1` && m.buttons);
    expect(card!.buttons!.flat().some((b) => b.includes('100 ⭐'))).toBe(true);
    expect(card!.text).toContain('100 ⭐');
    // WeChat: the card in CNY, sold through the mini-program.
    const toWechat = wechat.sent.find((s) => s.chatId === `${p}91`)!;
    const wxCard = (toWechat.replies.find((r) => r.type === 'course_cards') as { cards: CourseCard[] }).cards[0]!;
    expect(wxCard.price).toEqual({ amountMinor: 9900, currency: 'CNY' });
    expect(wxCard.buttons.some((b) => b.label.includes('¥99'))).toBe(true);
    expect((toWechat.replies[0] as { text: string }).text).toMatch(/^为你挑选：python 课，¥99\.00。Python 编程方向的新课/);
  });

  it('offers, among a follower’s first picks, the course viewers buy, and skips a follower nothing is known about', async () => {
    const p = `${8_150_000 + ++counter * 100}`;
    const [fan, stranger, ...crowd] = await seedFollowers(database.db, 27, { prefix: p, timeZone: 'Asia/Shanghai' });
    // The fan looks at python more than design: the recommender puts python first.
    await viewed(fan!, courses.python, 4);
    await viewed(fan!, courses.design, 2);
    // Twenty others looked at python and nobody bought it; of five who looked at design, three bought it.
    for (const id of crowd.slice(0, 20)) await viewed(id, courses.python, 1);
    for (const [i, id] of crowd.slice(20, 25).entries()) {
      await viewed(id, courses.design, 1);
      if (i < 3) {
        await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at)
          VALUES (${id}::uuid, 'purchase', 'api', ${`buy-${id}`}, ${courses.design}::uuid, ${new Date(clock.now().getTime() - 1_800_000).toISOString()}::timestamptz)`);
      }
    }
    const [first] = await deps.recommender!.recommend(fan!, { limit: 1 });
    expect(first!.courseId).toBe(courses.python);
    const segment = { ownsCourseId: await marker([fan!, stranger!]) };
    const created = await compose({ segment, variants: [{ key: 'A', text: { en: 'For you: {course}' }, pick: 'recommended' }] }).expect(201);
    await drain({ ...deps, rates: new PgCoursePurchaseRates(database.db, clock) });
    const rows = new Map((await outboxOf(created.body.broadcast.id)).map((r) => [r.follower_id, r]));
    expect(rows.get(fan!)).toMatchObject({ status: 'sent', shown_course_id: courses.design, pick: 'recommended' });
    // Nothing known about the stranger: only what is popular for everyone would be offered.
    expect(rows.get(stranger!)).toMatchObject({ status: 'skipped', skip_reason: 'no_signal', shown_course_id: null });
    expect((await request(t.app).get(`/api/broadcasts/${created.body.broadcast.id}`).set(t.auth).expect(200)).body.progress.skipped).toMatchObject({ no_signal: 1 });
  });

  it('counts only followers who can be reached now, with the others by reason, in the preview and the audience', async () => {
    const p = `${8_200_000 + ++counter * 100}`;
    const ids = await seedFollowers(database.db, 6, { prefix: p, timeZone: 'Asia/Shanghai' });
    const [, , noConsent, optedOut, blocked, noChat] = ids;
    await database.db.execute(sql`UPDATE followers SET has_marketing_consent = false WHERE id = ${noConsent!}::uuid`);
    await database.db.execute(sql`UPDATE followers SET is_opted_out = true, has_marketing_consent = false WHERE id = ${optedOut!}::uuid`);
    await database.db.execute(sql`UPDATE followers SET is_reachable = false WHERE id = ${blocked!}::uuid`);
    await database.db.execute(sql`UPDATE identities SET kind = 'mp_openid' WHERE follower_id = ${noChat!}::uuid`);
    const segment = { ownsCourseId: await marker(ids) };
    const preview = await request(t.app).post('/api/segments/preview').set(t.auth).send({ segment, sampleSize: 10 }).expect(200);
    expect(preview.body.size).toBe(2);
    expect(preview.body.sample).toHaveLength(2);
    expect(preview.body.excluded).toEqual({ opted_out: 1, no_consent: 1, unreachable: 1, no_chat: 1, risk_review: 0, total: 4 });
    const created = await compose({ segment, variants: [{ key: 'A', text: { en: 'Hi' } }] }).expect(201);
    expect(created.body.audienceSize).toBe(2);
    expect(created.body.broadcast.audienceSize).toBe(2);
  });

  it('keeps a follower’s day for the higher-priority broadcast: a lower one is skipped as outranked, an equal one is not', async () => {
    clock.set(new Date('2026-11-26T04:00:00Z'));
    const p = `${8_300_000 + ++counter * 100}`;
    const [f, g] = await seedFollowers(database.db, 2, { prefix: p, timeZone: 'Asia/Shanghai' });
    const onlyF = { ownsCourseId: await marker([f!]) };
    const both = { ownsCourseId: await marker([f!, g!]) };
    const hi = (n: number) => ({ en: `priority ${n}` });
    // Planned first, the low one would be leased first: the high one still takes the day.
    const low = await compose({ segment: both, priority: 0, variants: [{ key: 'A', text: hi(0) }] }).expect(201);
    const high = await compose({ segment: onlyF, priority: 5, variants: [{ key: 'A', text: hi(5) }] }).expect(201);
    const equal = await compose({ segment: onlyF, priority: 5, variants: [{ key: 'A', text: hi(5) }] }).expect(201);
    expect(high.body.broadcast.priority).toBe(5);
    await drain();
    expect((await outboxOf(high.body.broadcast.id))[0]!.status).toBe('sent');
    expect((await outboxOf(equal.body.broadcast.id))[0]!.status).toBe('sent');
    const lowRows = await outboxOf(low.body.broadcast.id);
    expect(lowRows.find((r) => r.follower_id === f)).toMatchObject({ status: 'skipped', skip_reason: 'outranked' });
    expect(lowRows.find((r) => r.follower_id === g)).toMatchObject({ status: 'sent' });
    const progress = await request(t.app).get(`/api/broadcasts/${low.body.broadcast.id}`).set(t.auth).expect(200);
    expect(progress.body.progress.skipped).toMatchObject({ outranked: 1, total: 1 });
    // The next local day is free again for a low-priority broadcast.
    clock.set(new Date('2026-11-27T04:00:00Z'));
    const nextDay = await compose({ segment: onlyF, priority: 0, variants: [{ key: 'A', text: hi(0) }] }).expect(201);
    await drain();
    expect((await outboxOf(nextDay.body.broadcast.id))[0]!.status).toBe('sent');
  });

  it('dates each message when the platform accepted it and gives a purchase to the last message before it', async () => {
    clock.set(new Date('2026-11-28T04:00:00Z'));
    const p = `${8_400_000 + ++counter * 100}`;
    const [first, second] = await seedFollowers(database.db, 2, { prefix: p, timeZone: 'Asia/Shanghai' });
    const segment = { ownsCourseId: await marker([first!, second!]) };
    // Each send takes 300 ms; one at a time, the batch ends 600 ms after it started.
    const inner = new SinkMessenger(sinkUrl);
    const slow: Messenger = { platform: 'telegram', send: async (to, replies, o) => {
      clock.advance(300);
      return inner.send(to, replies, o);
    } };
    const slowDeps: DispatchDeps = { ...deps, messengers: new Map([['telegram', slow]]) };
    const start = clock.now().getTime();
    const campaign = await compose({ segment, variants: [{ key: 'A', text: { en: 'Python?' }, courseId: courses.python }] }).expect(201);
    await dispatchOutbox(slowDeps, { ...options, concurrency: 1 });
    const rows = await outboxOf(campaign.body.broadcast.id);
    const sentAt = rows.map((r) => new Date(r.sent_at as string).getTime()).sort((a, b) => a - b);
    expect(sentAt).toEqual([start + 300, start + 600]);
    const firstSentAt = new Date(rows.find((r) => r.follower_id === first)!.sent_at as string).getTime();
    const secondSentAt = new Date(rows.find((r) => r.follower_id === second)!.sent_at as string).getTime();
    const buy = async (followerId: string, at: number, key: string) =>
      database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at)
        VALUES (${followerId}::uuid, 'purchase', 'api', ${key}, ${courses.python}::uuid, ${new Date(at).toISOString()}::timestamptz)`);
    // Bought 3 ms after their own message was accepted: before the batch was written down.
    await buy(first!, firstSentAt + 3, `buy-${p}-1`);
    let results = await request(t.app).get(`/api/broadcasts/${campaign.body.broadcast.id}/results`).set(t.auth).expect(200);
    expect(results.body.variants[0]).toMatchObject({ sent: 2, conversions: 1 });
    expect(results.body.picks).toEqual([expect.objectContaining({ variant: 'A', courseId: courses.python, pick: 'fixed', sent: 2, conversions: 1, titleEn: 'python course' })]);

    // A later message (another broadcast) takes the credit for a purchase made after it.
    clock.set(new Date(secondSentAt + 60_000));
    const later = await compose({ segment: { ownsCourseId: await marker([second!]) }, variants: [{ key: 'A', text: { en: 'Design?' }, courseId: courses.design }] }).expect(201);
    await drain(slowDeps);
    const laterSentAt = new Date((await outboxOf(later.body.broadcast.id))[0]!.sent_at as string).getTime();
    await buy(second!, laterSentAt + 1, `buy-${p}-2`);
    results = await request(t.app).get(`/api/broadcasts/${campaign.body.broadcast.id}/results`).set(t.auth).expect(200);
    expect(results.body.variants[0]).toMatchObject({ sent: 2, conversions: 1 });
    const laterResults = await request(t.app).get(`/api/broadcasts/${later.body.broadcast.id}/results`).set(t.auth).expect(200);
    expect(laterResults.body.variants[0]).toMatchObject({ sent: 1, conversions: 1 });
  });
});

