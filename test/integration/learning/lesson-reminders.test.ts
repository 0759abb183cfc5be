import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { RateLimiter, TelegramMessenger } from '../../../adapters/telegram/index.js';
import { createLogger } from '../../../adapters/index.js';
import { confirmPayment, createPendingOrder, learningTurnReplies, noMetrics, sendLessonReminders, type LessonReminderDeps } from '../../../core/index.js';
import {
  createRepositories, PgLearningRepository, PgLessonReminderRepository, PgSendLogRepository, PgUnitOfWork, queryRows, type Database,
} from '../../../models/index.js';
import { BotApiSink } from '../campaigns-support/bot-api-sink.js';
import { seedFollowers } from '../campaigns-support/seed-followers.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TestClock } from '../../support/http.js';

const OPTIONS = { stalledAfterDays: 3, dailyLimit: 2, leaseMs: 600_000, fallbackHour: 20, pageSize: 500 };
const QUIET = { start: '21:00', end: '09:00' };

describe.each(testTargets())('lesson reminders on %s', (target) => {
  let database: Database;
  let sink: BotApiSink;
  let deps: LessonReminderDeps;
  const clock = new TestClock(new Date('2026-03-02T02:00:00Z'));

  beforeAll(async () => {
    database = await openTestDatabase(target);
    sink = new BotApiSink();
    const sinkUrl = await sink.start();
    const repos = createRepositories(database.db);
    const messenger = new TelegramMessenger({
      telegram: new Telegram('123:test', { apiRoot: sinkUrl }), sendLog: new PgSendLogRepository(database.db), followers: repos.followers,
      limiter: new RateLimiter({ globalPerSecond: 1000, privateChatPerSecond: 1000, groupPerMinute: 1000 }), logger: createLogger('silent'),
    });
    const events = { uow: new PgUnitOfWork(database.db), clock, metrics: noMetrics };
    deps = {
      learning: { learning: new PgLearningRepository(database.db), courses: repos.courses, followers: repos.followers, events, clock },
      reminders: new PgLessonReminderRepository(database.db),
      events: repos.events,
      quietHours: async () => QUIET,
      messengers: new Map([['telegram', messenger]]),
      links: { secret: 'lesson-link-secret-0123456789abcdef', baseUrl: 'https://zl.test', ttlMs: 7 * 86_400_000 },
      logger: createLogger('silent'),
    };
  });
  afterAll(async () => {
    await sink.stop();
    await database.close();
  });

  /** A drip course (a lesson a day, 3 lessons) bought at the clock's now by a new Shanghai follower who is mostly active at `hourUtc`. */
  async function learner(options: { hourUtc: number; isOptedOut?: boolean }) {
    const tag = `rem-${randomUUID().slice(0, 8)}`;
    const [course] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, status, pacing, drip_every_days)
      VALUES (${tag}, '摄影入门', 'Photography basics', 100, 'on_sale', 'drip', 1) RETURNING id`);
    const content = new PgLearningRepository(database.db);
    const chapter = await content.createChapter(course!.id, { titleZh: '基础', titleEn: 'Basics' });
    for (const n of [1, 2, 3]) await content.createLesson(chapter.id, { titleZh: `第${n}课`, titleEn: `Lesson ${n}`, bodyZh: '', bodyEn: '', media: null, attachmentRef: null, estimatedMinutes: null, isFreePreview: false });
    const [followerId] = await seedFollowers(database.db, 1, { prefix: `${tag}-`, locale: 'zh-CN', timeZone: 'Asia/Shanghai', hasConsent: false });
    await queryRows(database.db, sql`UPDATE followers SET is_opted_out = ${options.isOptedOut ?? false} WHERE id = ${followerId}::uuid`);
    // Five messages on earlier days at the same UTC hour make it the persona's peak hour.
    for (let day = 1; day <= 5; day++) {
      const at = new Date(Date.UTC(2026, 1, 20 + day, options.hourUtc, 10));
      await queryRows(database.db, sql`INSERT INTO events (follower_id, kind, platform, external_id, occurred_at) VALUES (${followerId}::uuid, 'message', 'telegram', ${`${tag}-m${day}`}, ${at.toISOString()}::timestamptz)`);
    }
    const uow = new PgUnitOfWork(database.db);
    const { order } = await createPendingOrder({ uow, clock }, { followerId: followerId!, courseId: course!.id, provider: 'manual' });
    await confirmPayment({ uow, clock }, { orderId: order.id, provider: 'manual', providerChargeId: `m-${order.id}`, amountMinor: order.amountMinor, currency: order.currency });
    return { followerId: followerId!, courseId: course!.id, chatId: `${tag}-1` };
  }

  const messagesTo = (chatId: string) => sink.messages.filter((m) => m.chatId === chatId);
  const remindersOf = (followerId: string) =>
    queryRows<{ local_day: string; status: string; reason: string }>(database.db, sql`SELECT local_day::text, status, reason FROM lesson_reminders WHERE follower_id = ${followerId}::uuid ORDER BY local_day`);

  it('reminds of a drip lesson once, at the follower’s own most active hour, even when they opted out of marketing', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z')); // 10:00 in Shanghai
    const me = await learner({ hourUtc: 11, isOptedOut: true }); // 19:xx in Shanghai

    clock.set(new Date('2026-03-02T11:30:00Z')); // the purchase day: only lesson 1 is open, and the purchase itself showed it
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(0);

    clock.set(new Date('2026-03-03T02:30:00Z')); // lesson 2 opened at 10:00; 10:30 is before their hour
    const early = await sendLessonReminders(deps, OPTIONS);
    expect(early.not_due).toBeGreaterThanOrEqual(1);
    expect(messagesTo(me.chatId)).toHaveLength(0);

    clock.set(new Date('2026-03-03T11:05:00Z')); // 19:05 there
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(1);
    expect(messagesTo(me.chatId)[0]!.text).toContain('第2课「第2课」已经解锁');

    // A rerun, a later tick the same evening: nothing more.
    await sendLessonReminders(deps, OPTIONS);
    clock.set(new Date('2026-03-03T12:40:00Z'));
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(1);
    expect(await remindersOf(me.followerId)).toEqual([{ local_day: '2026-03-03', status: 'sent', reason: 'unlocked' }]);
  });

  it('takes back a claim a dead process left mid-send without sending twice (the send log holds the key)', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const me = await learner({ hourUtc: 3 }); // 11:xx in Shanghai
    clock.set(new Date('2026-03-03T03:15:00Z'));
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(1);
    // As if the process died after the platform took the message and before the claim was closed.
    await queryRows(database.db, sql`UPDATE lesson_reminders SET status = 'sending', finished_at = NULL WHERE follower_id = ${me.followerId}::uuid`);
    clock.advance(5 * 60_000);
    await sendLessonReminders(deps, OPTIONS); // the lease has not run out: left alone
    expect((await remindersOf(me.followerId))[0]!.status).toBe('sending');
    clock.advance(20 * 60_000);
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(1);
    expect(await remindersOf(me.followerId)).toEqual([{ local_day: '2026-03-03', status: 'sent', reason: 'unlocked' }]);
  });

  it('holds a reminder whose hour falls in quiet hours until the quiet window ends the next morning', async () => {
    clock.set(new Date('2026-03-02T14:00:00Z')); // bought at 22:00 in Shanghai: lesson 2 opens at 22:00 the next day
    const me = await learner({ hourUtc: 14 }); // most active at 22:xx, inside 21:00–09:00
    clock.set(new Date('2026-03-03T14:30:00Z'));
    await sendLessonReminders(deps, OPTIONS);
    clock.set(new Date('2026-03-03T23:30:00Z')); // 07:30 on the 4th: still quiet
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(0);
    clock.set(new Date('2026-03-04T01:05:00Z')); // 09:05 on the 4th
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(1);
    expect(await remindersOf(me.followerId)).toEqual([{ local_day: '2026-03-04', status: 'sent', reason: 'unlocked' }]);
  });

  it('stops when the follower says 不要提醒, and reminds a stalled learner again once they turn reminders back on', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const me = await learner({ hourUtc: 5 }); // 13:xx in Shanghai
    const chat = { deps: deps.learning, links: deps.links, reminders: deps.reminders };
    const off = await learningTurnReplies(chat, { platform: 'telegram', text: '不要提醒' }, me.followerId, 'zh-CN');
    expect(off?.[0]).toMatchObject({ type: 'text', text: expect.stringContaining('不再发送学习提醒') });
    clock.set(new Date('2026-03-03T05:30:00Z'));
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(0);

    await learningTurnReplies(chat, { platform: 'telegram', text: '开启提醒' }, me.followerId, 'zh-CN');
    clock.set(new Date('2026-03-05T05:30:00Z')); // three days after the purchase, nothing learned
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(1);
    expect(messagesTo(me.chatId)[0]!.text).toContain('已经 3 天没有学习了');
    clock.set(new Date('2026-03-06T05:30:00Z')); // stalled, but reminded a day ago
    await sendLessonReminders(deps, OPTIONS);
    expect(messagesTo(me.chatId)).toHaveLength(1);
  });
});
