import request from 'supertest';
import type { Express } from 'express';
import { completeLesson, confirmPayment, createPendingOrder, noMetrics, type LearningDeps } from '../../../core/index.js';
import { createRepositories, PgLearningRepository, PgUnitOfWork, type Database } from '../../../models/index.js';
import { addAccount, createConsoleTestApp, logInAgent } from '../console-support.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TEST_ADMIN_TOKEN, TestClock } from '../../support/http.js';

const DAY = 86_400_000;
// In the future of the machine's clock: the session cookie's expiry is set from the test clock.
const T0 = new Date('2030-04-01T02:00:00Z');

describe.each(testTargets())('course learning report over HTTP on %s', (target) => {
  let database: Database;
  let app: Express;
  let deps: LearningDeps;
  const clock = new TestClock(T0);

  beforeAll(async () => {
    database = await openTestDatabase(target);
    app = createConsoleTestApp(database, { clock });
    await addAccount(database, 'creator', 'alice@example.com');
    await addAccount(database, 'creator', 'bob@example.com');
    const repos = createRepositories(database.db);
    deps = { learning: new PgLearningRepository(database.db), courses: repos.courses, followers: repos.followers, events: { uow: new PgUnitOfWork(database.db), clock, metrics: noMetrics }, clock };
  });
  afterAll(() => database.close());

  async function buyer(courseId: string, name: string): Promise<string> {
    const { follower } = await createRepositories(database.db).followers.resolveIdentity({ kind: 'telegram', externalId: `tg-${name}`, displayName: name, locale: 'en' });
    const uow = new PgUnitOfWork(database.db);
    const { order } = await createPendingOrder({ uow, clock }, { followerId: follower.id, courseId, provider: 'manual' });
    await confirmPayment({ uow, clock }, { orderId: order.id, provider: 'manual', providerChargeId: `m-${order.id}`, amountMinor: order.amountMinor, currency: order.currency });
    return follower.id;
  }

  it('counts learners, a funnel where each step is a subset of the one before, and who is stuck; creators see only their own courses', async () => {
    clock.set(T0);
    const alice = await logInAgent(app, 'alice@example.com');
    const created = await alice.agent.post('/api/courses').set(alice.csrf)
      .send({ slug: 'report-course', titleZh: '报告课', titleEn: 'Report course', status: 'on_sale', prices: { wechat: { amount: '10', currency: 'CNY' } } }).expect(201);
    const courseId = created.body.id as string;
    const chapter = await alice.agent.post(`/api/courses/${courseId}/chapters`).set(alice.csrf).send({ titleZh: '一', titleEn: 'One' }).expect(201);
    const lessons: string[] = [];
    for (const n of [1, 2, 3]) {
      lessons.push((await alice.agent.post(`/api/courses/${courseId}/chapters/${chapter.body.id}/lessons`).set(alice.csrf).send({ titleZh: `第${n}课`, titleEn: `Lesson ${n}` }).expect(201)).body.id);
    }
    // Five buyers: all three lessons; 1 and 2; 1 and 3 (a gap after 1); nothing; only 2 (a gap at once).
    const done: Record<string, number[]> = { ann: [0, 1, 2], ben: [0, 1], cai: [0, 2], dee: [], eve: [1] };
    const ids: Record<string, string> = {};
    for (const name of Object.keys(done)) ids[name] = await buyer(courseId, name);
    clock.set(new Date(T0.getTime() + DAY));
    for (const [name, indexes] of Object.entries(done)) {
      for (const i of indexes) await completeLesson(deps, { followerId: ids[name]!, lessonId: lessons[i]!, platform: 'telegram' });
    }

    clock.set(new Date(T0.getTime() + 10 * DAY));
    const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const report = await request(app).get(`/api/courses/${courseId}/learning?stuckDays=7`).set(admin).expect(200);
    expect(report.body).toMatchObject({ courseId, learners: 5, completed: 1, stuckAfterDays: 7, stuckCount: 4, course: { titleEn: 'Report course', pacing: 'self_paced' } });
    expect(report.body.funnel.map((s: { number: number; learners: number }) => [s.number, s.learners])).toEqual([[1, 3], [2, 2], [3, 1]]);
    expect(report.body.stuck[0]).toMatchObject({ followerId: ids['dee'], displayName: 'dee', completedCount: 0, nextLessonNumber: 1, lastActivityAt: null, idleDays: 10 });
    expect(report.body.stuck.slice(1).map((s: { followerId: string }) => s.followerId).sort()).toEqual([ids['ben'], ids['cai'], ids['eve']].sort());
    expect(report.body.stuck.find((s: { followerId: string }) => s.followerId === ids['cai'])).toMatchObject({ completedCount: 2, nextLessonNumber: 2, idleDays: 9 });

    const strict = await request(app).get(`/api/courses/${courseId}/learning?stuckDays=10`).set(admin).expect(200);
    expect(strict.body.stuck.map((s: { followerId: string }) => s.followerId)).toEqual([ids['dee']]);

    // The creator sees their own course; another creator is refused.
    const mine = await (await logInAgent(app, 'alice@example.com')).agent.get(`/api/courses/${courseId}/learning`).expect(200);
    expect(mine.body.learners).toBe(5);
    const bob = await logInAgent(app, 'bob@example.com');
    expect((await bob.agent.get(`/api/courses/${courseId}/learning`).expect(403)).body.error.code).toBe('forbidden');

    const openapi = await request(app).get('/api/openapi.json').expect(200);
    expect(openapi.body.paths['/api/courses/{id}/learning'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'stuckDays']);
  });
});
