import { randomUUID } from 'node:crypto';
import {
  AccessDeniedError, checkIn, completeLesson, confirmPayment, courseInputSchema, courseProgress, createPendingOrder, listMyCourses,
  noMetrics, openLessonByLink, refundOrder, signLessonLink, startLearningReplies, type CourseInput, type LearningDeps,
} from '../../../core/index.js';
import { createRepositories, PgCourseRepository, PgLearningRepository, PgUnitOfWork, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TestClock } from '../../support/http.js';

const DAY = 86_400_000;
const SECRET = 'lesson-link-secret-0123456789abcdef';

describe.each(testTargets())('learning on %s', (target) => {
  let database: Database;
  let deps: LearningDeps;
  let content: PgLearningRepository;
  const clock = new TestClock(new Date('2026-03-02T02:00:00Z'));

  beforeAll(async () => {
    database = await openTestDatabase(target);
    const repos = createRepositories(database.db);
    const uow = new PgUnitOfWork(database.db);
    content = new PgLearningRepository(database.db);
    deps = { learning: content, courses: repos.courses, followers: repos.followers, events: { uow, clock, metrics: noMetrics }, clock };
  });
  afterAll(() => database.close());

  /** A course on sale with `lessons` lessons over two chapters. */
  async function courseWith(lessons: number, extra: Partial<CourseInput> = {}) {
    const slug = `c-${randomUUID().slice(0, 8)}`;
    await new PgCourseRepository(database.db).insertMissing([
      courseInputSchema.parse({ slug, titleZh: '学习课', titleEn: 'Learning course', priceMinor: 4990, priceStars: 49, status: 'on_sale', teacherName: '王老师', ...extra }),
    ]);
    const course = (await deps.courses.findBySlug(slug))!;
    const first = await content.createChapter(course.id, { titleZh: '第一章', titleEn: 'Chapter 1' });
    const second = await content.createChapter(course.id, { titleZh: '第二章', titleEn: 'Chapter 2' });
    const ids: string[] = [];
    for (let i = 0; i < lessons; i++) {
      const chapter = i < lessons / 2 ? first : second;
      const lesson = await content.createLesson(chapter.id, { titleZh: `第${i + 1}课`, titleEn: `Lesson ${i + 1}`, bodyZh: '正文', bodyEn: 'Body', media: null, attachmentRef: null, estimatedMinutes: 10, isFreePreview: false });
      ids.push(lesson.id);
    }
    return { course, lessonIds: ids };
  }

  async function buyer(courseId: string, locale: 'zh-CN' | 'en' = 'zh-CN') {
    const { follower } = await createRepositories(database.db).followers.resolveIdentity({ kind: 'telegram', externalId: randomUUID(), displayName: '小林', locale, timeZone: 'Asia/Shanghai' });
    const uow = new PgUnitOfWork(database.db);
    const { order } = await createPendingOrder({ uow, clock }, { followerId: follower.id, courseId, provider: 'manual' });
    await confirmPayment({ uow, clock }, { orderId: order.id, provider: 'manual', providerChargeId: `m-${order.id}`, amountMinor: order.amountMinor, currency: order.currency });
    return { followerId: follower.id, orderId: order.id };
  }

  it('stores 49 Stars as 49 and ¥49.90 as 4990 fen, and reads pacing back', async () => {
    const { course } = await courseWith(1, { pacing: { kind: 'drip', everyDays: 3 } });
    expect(course).toMatchObject({ priceMinor: 4990, currency: 'CNY', priceStars: 49, pacing: { kind: 'drip', everyDays: 3 }, teacherName: '王老师' });
  });

  it('drips one lesson every N days on the controlled clock', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const { course, lessonIds } = await courseWith(4, { pacing: { kind: 'drip', everyDays: 2 } });
    const { followerId } = await buyer(course.id);
    const unlocked = async () => (await courseProgress(deps, { followerId, courseId: course.id })).lessons.map((l) => l.isUnlocked);
    expect(await unlocked()).toEqual([true, false, false, false]);
    await expect(completeLesson(deps, { followerId, lessonId: lessonIds[1]!, platform: 'telegram' })).rejects.toMatchObject({ code: 'lesson_locked' });
    clock.advance(2 * DAY - 1);
    expect(await unlocked()).toEqual([true, false, false, false]);
    clock.advance(1);
    expect(await unlocked()).toEqual([true, true, false, false]);
    clock.advance(4 * DAY);
    expect(await unlocked()).toEqual([true, true, true, true]);
  });

  it('opens a cohort together at its start and closes enrolment', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const startsAt = new Date('2026-03-10T01:00:00Z');
    const { course } = await courseWith(3, { pacing: { kind: 'cohort', startsAt: startsAt.toISOString(), enrolmentClosesAt: '2026-03-12T00:00:00Z' } });
    const { followerId } = await buyer(course.id);
    const progress = await courseProgress(deps, { followerId, courseId: course.id });
    expect(progress.lessons.every((l) => !l.isUnlocked)).toBe(true);
    expect(progress.nextUnlockAt).toEqual(startsAt);
    const replies = await startLearningReplies(deps, { followerId, courseId: course.id, links: { secret: SECRET, baseUrl: 'https://zl.test', ttlMs: DAY } });
    expect(replies.at(-1)).toMatchObject({ type: 'text', text: expect.stringContaining('开课') });
    clock.set(startsAt);
    expect((await courseProgress(deps, { followerId, courseId: course.id })).lessons.every((l) => l.isUnlocked)).toBe(true);
    clock.set(new Date('2026-03-12T00:00:00Z'));
    const late = (await createRepositories(database.db).followers.resolveIdentity({ kind: 'telegram', externalId: randomUUID() })).follower;
    await expect(createPendingOrder({ uow: new PgUnitOfWork(database.db), clock }, { followerId: late.id, courseId: course.id, provider: 'manual' })).rejects.toMatchObject({ code: 'enrolment_closed' });
  });

  it('completes every lesson to 100 % with a certificate, once per lesson, and keeps a streak', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const { course, lessonIds } = await courseWith(2);
    const { followerId } = await buyer(course.id, 'en');
    const first = await completeLesson(deps, { followerId, lessonId: lessonIds[0]!, platform: 'miniprogram' });
    expect(first).toMatchObject({ isNew: true, progress: { percent: 50, certificate: null } });
    expect((await completeLesson(deps, { followerId, lessonId: lessonIds[0]!, platform: 'miniprogram' })).isNew).toBe(false);
    clock.advance(DAY);
    const done = await completeLesson(deps, { followerId, lessonId: lessonIds[1]!, platform: 'miniprogram' });
    expect(done.progress).toMatchObject({ percent: 100, completedCount: 2, streak: { currentDays: 2 } });
    expect(done.progress.certificate!.zh.text).toContain('兹证明 小林 已于 2026年3月3日 完成《学习课》全部 2 节课程。');
    expect(done.progress.certificate!.en.text).toContain('completed all 2 lessons of "Learning course" on 3 Mar 2026');
    const checked = await checkIn(deps, { followerId, courseId: course.id, text: '打卡 第3天', platform: 'wechat' });
    expect(checked).toMatchObject({ isNew: true, day: 3, streak: { currentDays: 2 } });
    expect((await checkIn(deps, { followerId, courseId: course.id, platform: 'wechat' })).isNew).toBe(false);
    clock.advance(DAY);
    expect((await checkIn(deps, { followerId, courseId: course.id, platform: 'wechat' })).streak.currentDays).toBe(3);
    const [mine] = await listMyCourses(deps, { followerId });
    expect(mine).toMatchObject({ percent: 100, hasCertificate: true });
  });

  it('refuses forwarded and expired links, and a refund revokes access', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const { course, lessonIds } = await courseWith(1);
    const { followerId, orderId } = await buyer(course.id);
    const other = await buyer(course.id);
    const token = signLessonLink(followerId, lessonIds[0]!, new Date(clock.now().getTime() + DAY), SECRET);
    const open = (viewerFollowerId?: string) => openLessonByLink(deps, { token, secret: SECRET, viewerFollowerId, platform: 'web' });
    expect(await open(followerId)).toMatchObject({ ok: true, opened: { lesson: { id: lessonIds[0] } } });
    expect(await open(other.followerId)).toEqual({ ok: false, reason: 'forwarded' });
    // A click nobody can be identified behind may be a forwarded one: the owner must prove it is them.
    expect(await open()).toEqual({ ok: false, reason: 'unidentified', followerId });
    await refundOrder({ uow: new PgUnitOfWork(database.db), clock, gateways: new Map() }, { orderId, actor: 'admin:test', reason: 'asked' });
    await expect(open(followerId)).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(courseProgress(deps, { followerId, courseId: course.id })).rejects.toMatchObject({ code: 'not_enrolled' });
    expect(await listMyCourses(deps, { followerId })).toEqual([]);
    clock.advance(DAY);
    expect(await openLessonByLink(deps, { token: signLessonLink(other.followerId, lessonIds[0]!, clock.now(), SECRET), secret: SECRET, viewerFollowerId: other.followerId, platform: 'web' })).toEqual({ ok: false, reason: 'expired' });
  });

  it('builds the start-learning replies with a signed link to the next lesson', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const { course, lessonIds } = await courseWith(3, { pacing: { kind: 'drip', everyDays: 1 } });
    const { followerId } = await buyer(course.id);
    const replies = await startLearningReplies(deps, { followerId, courseId: course.id, links: { secret: SECRET, baseUrl: 'https://zl.test/', ttlMs: DAY } });
    expect(replies[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/《学习课》学习进度 0%[\s\S]*▶️ 第1课[\s\S]*🔒 第2课 第2课（2026年3月3日 解锁）/) });
    const link = replies.find((r) => r.type === 'link');
    expect(link).toMatchObject({ url: expect.stringMatching(/^https:\/\/zl\.test\/learn\/[0-9a-f]{64}/) });
    expect(JSON.stringify(replies)).toContain(`done:${lessonIds[0]}`);
    const stranger = (await createRepositories(database.db).followers.resolveIdentity({ kind: 'telegram', externalId: randomUUID() })).follower;
    await expect(startLearningReplies(deps, { followerId: stranger.id, courseId: course.id, links: { secret: SECRET, baseUrl: 'https://zl.test', ttlMs: DAY } })).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
