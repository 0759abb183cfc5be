import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createLearnRouter } from '../../adapters/http/learning/index.js';
import { createLogger } from '../../adapters/index.js';
import { createLearningDeps } from '../../bots/wire-learning.js';
import { dispatchOutbox, scanRetargeting } from '../../core/campaigns/index.js';
import { courseInputSchema, noMetrics, sendLessonReminders } from '../../core/index.js';
import { createRepositories, PgLearningRepository, PgLessonReminderRepository, PgUnitOfWork, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { createTestApp, TestClock } from '../support/http.js';
import { startEmulatedTelegram, type EmulatedBotMessage as BotMessage } from './telegram-support.js';

const TOKEN = '5550003:learning-e2e-token-abcdefghij';
const USER = { id: 9301, first_name: 'Lin' };
const GROUP = '-1009876543210';
const LINK_SECRET = 'test-lesson-link-secret-0123456789'; // buildTestChannel's
const HOUR = 3_600_000;
// Noon in Shanghai (the follower's zone), a Monday.
const BOUGHT_AT = new Date('2026-03-02T04:00:00Z');

/*
 * The whole life of a Telegram learner through the real telegraf bot and the telegram-test-api
 * emulator, with the Bot API stand-in in front of it for what the emulator lacks (the Stars
 * invoice, pre-checkout and payment, the group invite). The clock the bot, learning, reminders and
 * retargeting read is one test clock: days pass without sleeping.
 */
describe.each(testTargets())('a Telegram learner from purchase to cross-sell on %s', (target) => {
  let database: Database;
  let telegram: Awaited<ReturnType<typeof startEmulatedTelegram>>;
  let api: typeof telegram.api;
  let channel: typeof telegram.channel;
  const clock = new TestClock(BOUGHT_AT);
  const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
  const course = { a: '', b: '' };
  const lessons: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(target);
    const repos = createRepositories(database.db);
    await repos.courses.insertMissing([
      courseInputSchema.parse({ slug: 'tg-drip', titleZh: '每日摄影', titleEn: 'Daily photography', priceMinor: 4990, priceStars: 49, status: 'on_sale', pacing: { kind: 'drip', everyDays: 1 }, telegramChatId: GROUP }),
      courseInputSchema.parse({ slug: 'tg-next', titleZh: '人像进阶', titleEn: 'Portraits, next steps', priceMinor: 9900, priceStars: 99, status: 'on_sale' }),
    ]);
    course.a = (await repos.courses.findBySlug('tg-drip'))!.id;
    course.b = (await repos.courses.findBySlug('tg-next'))!.id;
    const content = new PgLearningRepository(database.db);
    const chapter = await content.createChapter(course.a, { titleZh: '基础', titleEn: 'Basics' });
    for (const n of [1, 2]) {
      lessons.push((await content.createLesson(chapter.id, { titleZh: `第${n}讲`, titleEn: `Part ${n}`, bodyZh: `第${n}讲正文`, bodyEn: `Part ${n} text`, media: null, attachmentRef: null, estimatedMinutes: 10, isFreePreview: false })).id);
    }
    // Two earlier learners bought both: B is the course that goes with A (co-purchase, no model trained).
    for (const id of ['7300101', '7300102']) {
      const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: id });
      for (const courseId of [course.a, course.b]) {
        await database.db.execute(sql`WITH o AS (INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
          VALUES (${follower.id}::uuid, ${courseId}::uuid, 9900, 'CNY', 'manual', 'paid', now() - interval '40 days') RETURNING id)
          INSERT INTO entitlements (follower_id, course_id, order_id, granted_at) SELECT ${follower.id}::uuid, ${courseId}::uuid, id, now() - interval '40 days' FROM o`);
      }
    }
    await database.db.execute(sql`UPDATE retargeting_rules SET is_enabled = (trigger = 'completed_course')`);
    await createCampaignRepositories(database.db).guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '22:00', end: '08:00' } });

    telegram = await startEmulatedTelegram(database, TOKEN, clock);
    ({ api, channel } = telegram);
  });
  afterAll(async () => {
    await telegram.stop();
    await database.close();
  });

  const client = () => telegram.server.getClient(TOKEN, { userId: USER.id, chatId: USER.id, firstName: USER.first_name });
  /** The bot's messages to the user that arrived since the last call, waiting until one matches. */
  const until = (match: (m: BotMessage) => boolean, what: string, timeoutMs?: number) => telegram.until(USER.id, match, what, timeoutMs);
  const buttons = (m: BotMessage) => (m.reply_markup?.inline_keyboard ?? []).flat();
  const actionsOf = (m: BotMessage) => buttons(m).map((b) => b.callback_data).filter(Boolean);
  const tap = (data: string) => client().sendCallback(client().makeCallbackQuery(data));
  const say = (text: string) => client().sendMessage(client().makeMessage(text));

  it('buys with Stars, learns lesson by lesson on the drip clock, gets the certificate, then the next course is offered', async () => {
    // Marketing consent, as the onboarding asks for it: the cross-sell at the end is marketing.
    await tap('consent:yes');
    await until((m) => m.text.includes('退订'), 'consent thanks');

    // Buy → confirm → the Stars invoice of 49 ⭐.
    await tap(`buy:${course.a}`);
    const card = await until((m) => actionsOf(m).includes(`pay:${course.a}`), 'the confirmation card');
    expect(card.text).toContain('49 ⭐');
    await tap(`pay:${course.a}`);
    const invoice = await waitForCall('sendInvoice');
    expect(invoice).toMatchObject({ chat_id: String(USER.id), currency: 'XTR', provider_token: '', prices: [{ amount: 49 }] });

    // Paying: Telegram's pre-checkout, the bot's yes, the successful payment — then lesson 1 arrives.
    api.pay(USER);
    await until((m) => m.text.startsWith('支付成功'), 'payment received');
    const list = await until((m) => m.text.includes('学习进度'), 'the lesson list');
    expect(list.text).toMatch(/《每日摄影》学习进度 0%[\s\S]*▶️ 第1课 第1讲[\s\S]*🔒 第2课 第2讲（2026年3月3日 解锁）/);
    const next = await until((m) => actionsOf(m).includes(`done:${lessons[0]}`), 'lesson 1 with its buttons');
    expect(next.text).toBe('继续学习：第1讲');
    expect(actionsOf(next)).toEqual([`done:${lessons[0]}`, `checkin:${course.a}`]);
    const lessonUrl = buttons(next).find((b) => b.url)!.url!;
    expect(lessonUrl).toMatch(/^http:\/\/127\.0\.0\.1:3000\/learn\/[0-9a-f]{64}/);
    expect(api.calls.filter((c) => c.method === 'answerPreCheckoutQuery').map((c) => c.body['ok'])).toEqual([true]);
    expect(api.calls.filter((c) => c.method === 'createChatInviteLink').map((c) => c.body)).toEqual([{ chat_id: GROUP, member_limit: 1, name: expect.stringMatching(/^order [0-9a-f]{8}$/) }]);
    await until((m) => m.text.includes('学员群'), 'the group invite');

    // The lesson link opens only for this learner: the code from this chat proves it in the browser.
    await say('验证码');
    const code = /(\d{6})/.exec((await until((m) => m.text.startsWith('你的学习验证码'), 'the learner code')).text)![1]!;
    const web = createTestApp(database, {
      clock,
      mounts: [{ path: '/learn', access: 'public', router: createLearnRouter({ learning: createLearningDeps({ database, repos: channel.repos, recordEventsDeps: { uow: new PgUnitOfWork(database.db), clock, metrics: noMetrics }, clock }), linkSecret: LINK_SECRET, isSecureCookie: false }) }],
    }).app;
    const path = new URL(lessonUrl).pathname;
    await request(web).get(path).expect(401);
    expect((await request(web).post(path).type('form').send({ code }).expect(200)).text).toContain('第1讲正文');

    // "Start learning" again, then lesson 1 done: lesson 2 waits for tomorrow.
    await tap(`learn:${course.a}`);
    await until((m) => m.text.includes('学习进度 0%'), 'the list again');
    await tap(`done:${lessons[0]}`);
    expect((await until((m) => m.text.includes('学习进度 50%'), 'lesson 1 done')).text).toMatch(/✅ 第1课 第1讲[\s\S]*🔒 第2课/);
    await until((m) => m.text.startsWith('下一课将在'), 'when lesson 2 opens');
    await say('打卡 第1天');
    await until((m) => m.text.startsWith('打卡成功'), 'the check-in');

    // The next day, 21:30 in Shanghai: lesson 2 opened at noon; the reminders pass sends it.
    clock.set(new Date('2026-03-03T13:30:00Z'));
    const campaigns = createCampaignRepositories(database.db);
    const reminded = await sendLessonReminders(
      {
        learning: createLearningDeps({ database, repos: channel.repos, recordEventsDeps: { uow: new PgUnitOfWork(database.db), clock, metrics: noMetrics }, clock }),
        reminders: new PgLessonReminderRepository(database.db), events: channel.repos.events, quietHours: async () => (await campaigns.guardSettings.get()).quietHours,
        messengers: new Map([['telegram', channel.messenger]]), links: { secret: LINK_SECRET, baseUrl: 'http://127.0.0.1:3000', ttlMs: HOUR }, logger,
      },
      { stalledAfterDays: 3, dailyLimit: 2, leaseMs: 600_000, fallbackHour: 20, pageSize: 100 },
    );
    expect(reminded).toMatchObject({ sent: 1 });
    const reminder = await until((m) => m.text.includes('已经解锁'), 'the drip reminder');
    expect(reminder.text).toBe('📖 《每日摄影》第2课「第2讲」已经解锁，花几分钟学一学吧！');
    expect(actionsOf(reminder)).toEqual([`done:${lessons[1]}`, `noremind:${course.a}`]);

    // Lesson 2 done: 100 % and the certificate.
    await tap(`done:${lessons[1]}`);
    const certificate = await until((m) => m.text.startsWith('恭喜完成全部课程！'), 'the certificate');
    expect(certificate.text).toMatch(/结业证书\n兹证明 Lin 已于 2026年3月3日 完成《每日摄影》全部 2 节课程。/);

    // A day and a half later, at noon: the completed-course rule offers the course that follows.
    clock.set(new Date('2026-03-05T04:00:00Z'));
    await scanRetargeting({ rules: campaigns.rules, outbox: campaigns.outbox, clock, logger }, { limitPerRule: 100 });
    const deps = {
      outbox: campaigns.outbox, caps: campaigns.caps, guardSettings: campaigns.guardSettings, content: campaigns.content, courses: channel.repos.courses,
      messengers: new Map([['telegram' as const, channel.messenger]]), clock, logger,
    };
    while ((await dispatchOutbox(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 2, maxAttempts: 3 })).claimed > 0);
    const offer = await until((m) => m.text.includes('下一步推荐'), 'the cross-sell offer');
    expect(offer.text).toContain('恭喜学完《每日摄影》！下一步推荐你学《人像进阶》。');
    const [offered] = await queryRows<{ course_id: string; step: string; status: string }>(database.db, sql`SELECT course_id, step, status FROM outbox WHERE step LIKE 'completed:%'`);
    expect(offered).toEqual({ course_id: course.b, step: `completed:${course.a}`, status: 'sent' });
  });

  async function waitForCall(method: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const call = api.calls.filter((c) => c.method === method).at(-1);
      if (call) return call.body;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${method}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
