import { sql } from 'drizzle-orm';
import { dispatchOutbox, scanRetargeting } from '../../../core/campaigns/index.js';
import { completeLesson, noMetrics, personaOf, type LearningDeps } from '../../../core/index.js';
import { createLogger } from '../../../adapters/index.js';
import { createRepositories, PgLearningRepository, PgUnitOfWork, queryRows, type Database } from '../../../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../../../models/repositories/pg-campaign-repositories.js';
import { BotApiSink } from '../campaigns-support/bot-api-sink.js';
import { SinkMessenger } from '../campaigns-support/sink-messenger.js';
import { seedFollowers } from '../campaigns-support/seed-followers.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TestClock } from '../../support/http.js';

const HOUR = 3_600_000;
const NOW = new Date('2026-11-25T06:00:00Z'); // 14:00 in Shanghai, outside quiet hours

describe.each(testTargets())('learning feeds retargeting on %s', (target) => {
  let database: Database;
  let repos: CampaignRepositories;
  let sink: BotApiSink;
  let sinkUrl: string;
  let learning: LearningDeps;
  const clock = new TestClock(NOW);
  const logger = createLogger('silent');
  const course: Record<'a' | 'b', string> = { a: '', b: '' };
  const lessonsOfA: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(target);
    for (const key of ['a', 'b'] as const) {
      const [row] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, status)
        VALUES (${`lr-${key}`}, ${`课程${key}`}, ${`Course ${key.toUpperCase()}`}, 9900, 'on_sale') RETURNING id`);
      course[key] = row!.id;
    }
    const content = new PgLearningRepository(database.db);
    const chapter = await content.createChapter(course.a, { titleZh: '一', titleEn: 'One' });
    for (const n of [1, 2]) {
      lessonsOfA.push((await content.createLesson(chapter.id, { titleZh: `第${n}课`, titleEn: `Lesson ${n}`, bodyZh: '', bodyEn: '', media: null, attachmentRef: null, estimatedMinutes: null, isFreePreview: false })).id);
    }
    repos = createCampaignRepositories(database.db);
    await database.db.execute(sql`UPDATE retargeting_rules SET is_enabled = (trigger IN ('completed_course', 'stalled_learning'))`);
    await repos.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '21:00', end: '09:00' } });
    const core = createRepositories(database.db);
    learning = { learning: content, courses: core.courses, followers: core.followers, events: { uow: new PgUnitOfWork(database.db), clock, metrics: noMetrics }, clock };
    sink = new BotApiSink();
    sinkUrl = await sink.start();
  });
  afterAll(async () => {
    await sink.stop();
    await database.close();
  });

  const paidOrder = async (followerId: string, courseId: string, hoursAgo: number) => {
    const at = new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
    await database.db.execute(sql`WITH o AS (INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
      VALUES (${followerId}::uuid, ${courseId}::uuid, 9900, 'CNY', 'manual', 'paid', ${at}::timestamptz) RETURNING id)
      INSERT INTO entitlements (follower_id, course_id, order_id, granted_at) SELECT ${followerId}::uuid, ${courseId}::uuid, id, ${at}::timestamptz FROM o`);
  };
  const scan = () => scanRetargeting({ rules: repos.rules, outbox: repos.outbox, clock, logger }, { limitPerRule: 1000 });
  const offersTo = (followerId: string) => queryRows<{ course_id: string; step: string }>(database.db, sql`SELECT course_id, step FROM outbox WHERE follower_id = ${followerId}::uuid ORDER BY id`);

  it('counts finished courses in the persona, offers the course that follows (completed_course) once, and nudges a stalled learner (stalled_learning)', async () => {
    // Two earlier buyers of A and B make B the course that goes with A (co-purchase, no model trained yet).
    const [early1, early2, finisher, staller] = await seedFollowers(database.db, 4, { prefix: '73000', timeZone: 'Asia/Shanghai' });
    for (const early of [early1!, early2!]) {
      await paidOrder(early, course.a, 24 * 40);
      await paidOrder(early, course.b, 24 * 40);
      for (const lessonId of lessonsOfA) await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, payload, occurred_at)
        VALUES (${early}::uuid, 'lesson_complete', 'telegram', ${`early-${early}-${lessonId}`}, ${course.a}::uuid, ${JSON.stringify({ lessonId })}::jsonb, now() - interval '39 days')`);
    }
    await paidOrder(finisher!, course.a, 24 * 5);
    await paidOrder(staller!, course.a, 24 * 10);
    clock.set(new Date(NOW.getTime() - 30 * HOUR)); // finished 30 hours ago: past the rule's 24 hours
    for (const lessonId of lessonsOfA) await completeLesson(learning, { followerId: finisher!, lessonId, platform: 'telegram' });
    clock.set(NOW);
    // The persona says what they did with their courses.
    const persona = (id: string) => personaOf({ events: createRepositories(database.db).events, clock }, { id, timeZone: 'Asia/Shanghai' });
    expect((await persona(finisher!)).learning).toEqual({ finishedCourses: 1, lastLessonAt: new Date(NOW.getTime() - 30 * HOUR).toISOString() });
    expect((await persona(staller!)).learning).toEqual({ finishedCourses: 0, lastLessonAt: null });

    await scan();
    expect(await offersTo(finisher!)).toEqual([{ course_id: course.b, step: `completed:${course.a}` }]);
    expect(await offersTo(staller!)).toEqual([{ course_id: course.a, step: `stalled:${course.a}:${new Date(NOW.getTime() - 240 * HOUR).toISOString().slice(0, 10)}` }]);
    // The earlier buyers finished long ago (outside the window) and own B already: no offer of B; they are not stalled either.
    expect(await offersTo(early1!)).toEqual([]);

    const deps = {
      outbox: repos.outbox, caps: repos.caps, guardSettings: repos.guardSettings, content: repos.content, courses: createRepositories(database.db).courses,
      messengers: new Map([['telegram' as const, new SinkMessenger(sinkUrl)]]), clock, logger,
    };
    while ((await dispatchOutbox(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 4, maxAttempts: 3 })).claimed > 0);
    expect(sink.messages.find((m) => m.chatId === '730003')?.text).toContain('Congratulations on finishing "Course A"! Next, we suggest "Course B".');
    expect(sink.messages.find((m) => m.chatId === '730004')?.text).toContain('"Course A" is waiting for you');

    clock.set(new Date(NOW.getTime() + HOUR));
    await scan();
    expect(await offersTo(finisher!)).toHaveLength(1);
    expect(await offersTo(staller!)).toHaveLength(1);
  });
});
