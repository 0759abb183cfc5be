import type { Express } from 'express';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createLogger } from '../../adapters/index.js';
import { createCampaignMounts } from '../../bots/wire-jobs.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { dispatchOutbox, type DispatchDeps } from '../../core/campaigns/index.js';
import { createRepositories, PgFollowerScores, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { createTestApp, TestClock, type TestApp } from '../support/http.js';
import { BotApiSink } from './campaigns-support/bot-api-sink.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';
import { SinkMessenger } from './campaigns-support/sink-messenger.js';
import { addAccount, createConsoleTestApp, logInAgent } from './console-support.js';

describe.each(testTargets())('next course in a path, and the most likely buyers, on %s', (target) => {
  let database: Database;
  let repos: CampaignRepositories;
  let consoleApp: Express;
  let t: TestApp;
  let sink: BotApiSink;
  let deps: DispatchDeps;
  let creator: Awaited<ReturnType<typeof logInAgent>>;
  const clock = new TestClock(new Date('2026-11-25T04:00:00Z'));
  const level: string[] = [];
  let retrain: () => Promise<void>;
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    repos = createCampaignRepositories(database.db);
    const core = createRepositories(database.db);
    const logger = createLogger('silent');
    consoleApp = createConsoleTestApp(database);
    await addAccount(database, 'creator', 'path-creator@example.com');
    creator = await logInAgent(consoleApp, 'path-creator@example.com');
    for (const n of [1, 2, 3]) {
      const created = await creator.agent.post('/api/courses').set(creator.csrf)
        .send({ slug: `path-level-${n}`, titleZh: `摄影第 ${n} 级`, titleEn: `Photography level ${n}`, priceMinor: 9900 * n, status: 'on_sale' }).expect(201);
      level.push(created.body.id);
    }
    const engine = buildRecommender({ db: database.db, repos: core, clock, logger });
    const { recommender } = engine;
    retrain = async () => void (await engine.retrain());
    sink = new BotApiSink();
    const sinkUrl = await sink.start();
    deps = {
      outbox: repos.outbox, caps: repos.caps, guardSettings: repos.guardSettings, content: repos.content, courses: core.courses,
      messengers: new Map([['telegram' as const, new SinkMessenger(sinkUrl)]]), recommender, crossSell: repos.rules, nextInPath: repos.paths, clock, logger,
    };
    t = createTestApp(database, { clock, mounts: createCampaignMounts({ repos, courses: core.courses, clock, recommender }) });
    await repos.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '21:00', end: '09:00' } });
  });
  afterAll(async () => {
    await sink?.stop();
    await database.close();
  });

  const drain = async () => {
    while ((await dispatchOutbox(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 4, maxAttempts: 3 })).claimed > 0);
  };
  /** The follower bought these courses: entitled, with the purchase events a real order records. */
  const own = async (followerId: string, ...courseIds: string[]) => {
    for (const id of courseIds) {
      await database.db.execute(sql`INSERT INTO entitlements (follower_id, course_id) VALUES (${followerId}::uuid, ${id}::uuid)`);
      await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at) VALUES (${followerId}::uuid, 'purchase', 'api', ${`own-${followerId.slice(0, 8)}-${id.slice(0, 8)}`}, ${id}::uuid, now() - interval '1 day')`);
    }
  };
  /** A draft course only `followerIds` own: a segment that selects exactly them. */
  const marker = async (followerIds: readonly string[]) => {
    const slug = `path-marker-${++counter}`;
    const [row] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO courses (slug, title_zh, title_en, price_minor) VALUES (${slug}, ${slug}, ${slug}, 100) RETURNING id`);
    await Promise.all(followerIds.map((id) => own(id, row!.id)));
    return row!.id;
  };
  const compose = (body: Record<string, unknown>) => request(t.app).post('/api/broadcasts').set(t.auth).send({ name: `path-${++counter}`, ...body });
  const outboxOf = (campaignId: string) =>
    queryRows<{ follower_id: string; status: string; skip_reason: string | null; shown_course_id: string | null; pick: string | null }>(
      database.db,
      sql`SELECT follower_id, status, skip_reason, shown_course_id, pick FROM outbox WHERE campaign_id = ${campaignId}::uuid ORDER BY id`,
    );

  it('lets a creator say which of their courses comes next, and refuses any other link', async () => {
    const linked = await creator.agent.patch(`/api/courses/${level[0]}`).set(creator.csrf).send({ nextCourseId: level[1] }).expect(200);
    expect(linked.body.nextCourseId).toBe(level[1]);
    await creator.agent.patch(`/api/courses/${level[1]}`).set(creator.csrf).send({ nextCourseId: level[2] }).expect(200);

    const itself = await creator.agent.patch(`/api/courses/${level[0]}`).set(creator.csrf).send({ nextCourseId: level[0] }).expect(400);
    expect(itself.body.error.code).toBe('next_course_is_itself');
    await creator.agent.patch(`/api/courses/${level[0]}`).set(creator.csrf).send({ nextCourseId: '00000000-0000-4000-8000-000000000000' }).expect(400);
    await creator.agent.patch(`/api/courses/${level[0]}`).set(creator.csrf).send({ nextCourseId: 'level-2' }).expect(400);
    await addAccount(database, 'creator', 'other-creator@example.com');
    const other = await logInAgent(consoleApp, 'other-creator@example.com');
    const theirs = await other.agent.post('/api/courses').set(other.csrf).send({ slug: 'other-course', titleZh: '别人的课', titleEn: 'Not yours', priceMinor: 100, status: 'on_sale' }).expect(201);
    await creator.agent.patch(`/api/courses/${level[0]}`).set(creator.csrf).send({ nextCourseId: theirs.body.id }).expect(403);

    const [course] = await queryRows<{ next_course_id: string }>(database.db, sql`SELECT next_course_id FROM courses WHERE id = ${level[0]!}::uuid`);
    expect(course!.next_course_id).toBe(level[1]);
    const audit = await queryRows<{ details: { changed: Record<string, { from: unknown; to: unknown }> } }>(
      database.db,
      sql`SELECT details FROM audit_log WHERE action = 'course.update' AND subject_id = ${level[0]!} ORDER BY id`,
    );
    expect(audit.map((a) => a.details.changed['nextCourseId'])).toEqual([{ from: null, to: level[1] }]);
  });

  it('sends each follower the next course after the one they finished or own, else their recommended pick', async () => {
    const [afterOne, afterTwo, none, all] = await seedFollowers(database.db, 4, { prefix: '76100', timeZone: 'Asia/Shanghai' });
    await own(afterOne!, level[0]!);
    await own(afterTwo!, level[0]!, level[1]!);
    await own(all!, level[0]!, level[1]!, level[2]!);
    // On no path, but has looked at the first course twice.
    for (const n of [1, 2]) {
      await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at)
        VALUES (${none!}::uuid, 'view', 'api', ${`look-${none!.slice(0, 8)}-${n}`}, ${level[0]!}::uuid, now() - interval '2 hours')`);
    }
    // As every process does at start: a trained model, so picks are explained by what each follower did.
    await retrain();
    const segment = { ownsCourseId: await marker([afterOne!, afterTwo!, none!, all!]) };

    const text = { en: 'Ready for more? {course}. {reason}', 'zh-CN': '继续学习：{course}。{reason}' };
    const created = await compose({ segment, variants: [{ key: 'A', text, pick: 'next_in_path' }] }).expect(201);
    await drain();
    const rows = new Map((await outboxOf(created.body.broadcast.id)).map((r) => [r.follower_id, r]));
    expect(rows.get(afterOne!)).toMatchObject({ status: 'sent', pick: 'next_in_path', shown_course_id: level[1] });
    expect(rows.get(afterTwo!)).toMatchObject({ status: 'sent', pick: 'next_in_path', shown_course_id: level[2] });
    // No path to follow: the recommended pick, as cross_sell falls back, resting on what they looked at.
    expect(rows.get(none!)).toMatchObject({ status: 'sent', pick: 'recommended' });
    // Owns the whole path, and nothing else on sale matches what they bought: no pick rather than a blast.
    expect(rows.get(all!)).toMatchObject({ status: 'skipped', skip_reason: 'no_signal', shown_course_id: null });

    const toAfterOne = sink.messages.find((m) => m.chatId === '761001');
    expect(toAfterOne!.text).toContain('Ready for more? Photography level 2. The next step after "Photography level 1"');
    const toAfterTwo = sink.messages.find((m) => m.chatId === '761002');
    expect(toAfterTwo!.text).toContain('The next step after "Photography level 2"');
  });

  it('prefers the path of a course the follower finished over one they only own', async () => {
    const course = async (slug: string, next: string | null = null) => {
      const [row] = await queryRows<{ id: string }>(
        database.db,
        sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, status, next_course_id) VALUES (${slug}, ${slug}, ${slug}, 100, 'on_sale', ${next}::uuid) RETURNING id`,
      );
      return row!.id;
    };
    const [ownedNext, finishedNext] = [await course('owned-next'), await course('finished-next')];
    const [owned, finished] = [await course('owned-first', ownedNext), await course('finished-first', finishedNext)];
    const [chapter] = await queryRows<{ id: string }>(database.db, sql`INSERT INTO course_chapters (course_id, title_zh, title_en, position) VALUES (${finished}::uuid, '一', 'One', 0) RETURNING id`);
    const [lesson] = await queryRows<{ id: string }>(
      database.db,
      sql`INSERT INTO course_lessons (chapter_id, course_id, title_zh, title_en, position) VALUES (${chapter!.id}::uuid, ${finished}::uuid, '一', 'One', 0) RETURNING id`,
    );
    const [learner] = await seedFollowers(database.db, 1, { prefix: '76300' });
    // The finished course was granted first, the other one later: finishing counts before recency.
    await database.db.execute(sql`INSERT INTO entitlements (follower_id, course_id, granted_at) VALUES
      (${learner!}::uuid, ${finished}::uuid, now() - interval '20 days'), (${learner!}::uuid, ${owned}::uuid, now() - interval '1 day')`);
    expect(await repos.paths.nextFor(learner!)).toEqual({ courseId: ownedNext, afterCourseId: owned });
    await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, payload, occurred_at)
      VALUES (${learner!}::uuid, 'lesson_complete', 'api', 'path-done-1', ${finished}::uuid, ${JSON.stringify({ lessonId: lesson!.id })}::jsonb, now() - interval '10 days')`);
    expect(await repos.paths.nextFor(learner!)).toEqual({ courseId: finishedNext, afterCourseId: finished });
    // Not on sale any more: the other path's course is offered instead.
    await database.db.execute(sql`UPDATE courses SET status = 'archived' WHERE id = ${finishedNext}::uuid`);
    expect(await repos.paths.nextFor(learner!)).toEqual({ courseId: ownedNext, afterCourseId: owned });
  });

  it('targets a broadcast at the top N % most likely to buy', async () => {
    const followers = await seedFollowers(database.db, 4, { prefix: '76200', timeZone: 'Asia/Shanghai' });
    const segment = { ownsCourseId: await marker(followers), topPropensityPercent: 50 };
    await new PgFollowerScores(database.db).replaceAll(
      followers.map((followerId, i) => ({ followerId, purchasePropensity: [0.2, 0.7, 0.05, 0.4][i]!, purchaseTopPercent: [50, 25, 100, 75][i]!, churnRisk: 0.1, churnBand: 'low' as const })),
      { modelVersion: 1, horizonDays: 14, scoredAt: clock.now() },
    );
    const preview = await request(t.app).post('/api/segments/preview').set(t.auth).send({ segment, sampleSize: 10 }).expect(200);
    expect(preview.body.size).toBe(2);

    const created = await compose({ segment, variants: [{ key: 'A', text: { en: 'Just for you: {course}' }, courseId: level[0] }] }).expect(201);
    await drain();
    const rows = await outboxOf(created.body.broadcast.id);
    expect(new Set(rows.map((r) => r.follower_id))).toEqual(new Set([followers[1], followers[3]]));

    const invalid = await compose({ segment: { topPropensityPercent: 150 }, variants: [{ key: 'A', text: { en: 'x' } }] }).expect(400);
    expect(JSON.stringify(invalid.body)).toContain('topPropensityPercent');
  });
});
