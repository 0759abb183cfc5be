import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createLearnRouter } from '../../../adapters/http/learning/index.js';
import { createMpLearningRouter, issueSessionToken, mpOpenApiDocument, requireMpSession } from '../../../adapters/http/mp/index.js';
import { confirmPayment, createPendingOrder, learnerCode, noMetrics, refundOrder, signLessonLink, type LearningDeps } from '../../../core/index.js';
import { createRepositories, PgLearningRepository, PgUnitOfWork, type Database } from '../../../models/index.js';
import { createConsoleTestApp } from '../console-support.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { createTestApp, TEST_ADMIN_TOKEN, TestClock } from '../../support/http.js';
import { validateResponse } from '../mp/openapi-validator.js';

const DAY = 86_400_000;
const LINK_SECRET = 'lesson-link-secret-0123456789abcdef';
const MP_SECRET = 'test-mp-session-secret-0123456789abcdef';

describe.each(testTargets())('learning over HTTP on %s', (target) => {
  let database: Database;
  let consoleApp: Express;
  let app: Express;
  // The admin API token, not a cookie session: the tests move the clock past a session's lifetime.
  let admin: { agent: ReturnType<typeof request.agent>; csrf: { Authorization: string } };
  const clock = new TestClock(new Date('2026-03-02T02:00:00Z'));
  const document = mpOpenApiDocument('/mp');

  beforeAll(async () => {
    database = await openTestDatabase(target);
    consoleApp = createConsoleTestApp(database, { clock });
    admin = { agent: request.agent(consoleApp), csrf: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } };
    const repos = createRepositories(database.db);
    const events = { uow: new PgUnitOfWork(database.db), clock, metrics: noMetrics };
    const deps: LearningDeps = { learning: new PgLearningRepository(database.db), courses: repos.courses, followers: repos.followers, events, clock };
    app = createTestApp(database, {
      clock,
      mounts: [
        { path: '/learn', access: 'public', router: createLearnRouter({ learning: deps, linkSecret: LINK_SECRET, mpSessionSecret: MP_SECRET, isSecureCookie: false }) },
        { path: '/mp', access: 'public', router: createMpLearningRouter({ learning: deps, links: { secret: LINK_SECRET, baseUrl: 'https://zl.test', ttlMs: DAY } }, requireMpSession(MP_SECRET, clock)) },
      ],
    }).app;
  });
  afterAll(() => database.close());

  /** A course made through the admin API: prices in major units, drip every 2 days, 3 lessons. */
  async function adminCourse() {
    const slug = `learn-${randomUUID().slice(0, 8)}`;
    const created = await admin.agent.post('/api/courses').set(admin.csrf).send({
      slug, titleZh: '摄影入门', titleEn: 'Photography basics', status: 'on_sale', teacherName: '陈老师', tags: ['photography'],
      coverUrl: 'https://img.example.com/cover.jpg', descriptionZh: '从零开始', descriptionEn: 'From zero',
      prices: { wechat: { amount: '49.90', currency: 'CNY' }, telegram: { amount: 49, currency: 'XTR' } },
      pacing: { kind: 'drip', everyDays: 2 },
    }).expect(201);
    const id = created.body.id as string;
    const chapter = await admin.agent.post(`/api/courses/${id}/chapters`).set(admin.csrf).send({ titleZh: '基础', titleEn: 'Basics' }).expect(201);
    const lessons: string[] = [];
    for (const n of [1, 2, 3]) {
      const lesson = await admin.agent.post(`/api/courses/${id}/chapters/${chapter.body.id}/lessons`).set(admin.csrf).send({
        titleZh: `第${n}课`, titleEn: `Lesson ${n}`, bodyZh: `第${n}课正文`, bodyEn: `Lesson ${n} text`, estimatedMinutes: 12,
        media: n === 1 ? { kind: 'video', url: 'https://video.example.com/1.mp4' } : null,
      }).expect(201);
      lessons.push(lesson.body.id);
    }
    return { id, created: created.body, lessons };
  }

  async function buyer(courseId: string) {
    const { follower } = await createRepositories(database.db).followers.resolveIdentity({ kind: 'mp_openid', externalId: `o-${randomUUID()}`, locale: 'en' });
    const uow = new PgUnitOfWork(database.db);
    const { order } = await createPendingOrder({ uow, clock }, { followerId: follower.id, courseId, provider: 'manual' });
    await confirmPayment({ uow, clock }, { orderId: order.id, provider: 'manual', providerChargeId: `m-${order.id}`, amountMinor: order.amountMinor, currency: order.currency });
    const { token } = issueSessionToken(MP_SECRET, { followerId: follower.id, openId: 'o' }, clock.now(), 30 * 86_400);
    return { followerId: follower.id, orderId: order.id, auth: { Authorization: `Bearer ${token}` } };
  }

  it('takes prices in major units per channel and stores minor units (4990 fen, 49 Stars)', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const { id, created } = await adminCourse();
    expect(created).toMatchObject({ priceMinor: 4990, currency: 'CNY', priceStars: 49, teacherName: '陈老师', pacing: { kind: 'drip', everyDays: 2 } });
    expect(created.prices).toEqual({ wechat: { amountMinor: 4990, currency: 'CNY', amount: '49.90' }, telegram: { amountMinor: 49, currency: 'XTR', amount: '49' } });
    const patched = await admin.agent.patch(`/api/courses/${id}`).set(admin.csrf).send({ prices: { telegram: { amount: '120', currency: 'XTR' } } }).expect(200);
    expect(patched.body).toMatchObject({ priceStars: 120, priceMinor: 4990 });
  });

  it('answers per-field validation errors in the usual error shape', async () => {
    const { id } = await adminCourse();
    const bad = await admin.agent.patch(`/api/courses/${id}`).set(admin.csrf)
      .send({ prices: { telegram: { amount: '4.5', currency: 'XTR' }, wechat: { amount: '1.999', currency: 'CNY' } }, pacing: { kind: 'drip', everyDays: 0 }, coverUrl: 'ftp://x' }).expect(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const paths = (bad.body.error.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['coverUrl', 'pacing.everyDays', 'prices.telegram.amount', 'prices.wechat.amount']));
    const content = await admin.agent.get(`/api/courses/${id}/content`).set(admin.csrf).expect(200);
    const chapterId = content.body.chapters[0].id as string;
    const lesson = await admin.agent.post(`/api/courses/${id}/chapters/${chapterId}/lessons`).set(admin.csrf).send({ titleZh: '', titleEn: 'x', media: { kind: 'video', url: 'nope' } }).expect(400);
    expect((lesson.body.error.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['media.url', 'titleZh']);
    // The messages come in the console's language, per field, in words.
    const messages = (res: request.Response) => Object.fromEntries((res.body.error.details as { path: string; message: string }[]).map((d) => [d.path, d.message]));
    const badLesson = { titleZh: '', titleEn: 'x', media: { kind: 'video', url: 'nope' }, estimatedMinutes: 0 };
    const zh = await admin.agent.post(`/api/courses/${id}/chapters/${chapterId}/lessons`).set(admin.csrf).set('Accept-Language', 'zh-CN').send(badLesson).expect(400);
    expect(messages(zh)).toEqual({ titleZh: '请输入标题', 'media.url': '请输入以 http:// 或 https:// 开头的链接', estimatedMinutes: '至少 1 分钟' });
    const en = await admin.agent.post(`/api/courses/${id}/chapters/${chapterId}/lessons`).set(admin.csrf).set('Accept-Language', 'en').send(badLesson).expect(400);
    expect(messages(en)).toEqual({ titleZh: 'enter a title', 'media.url': 'use an http(s) link', estimatedMinutes: 'at least 1 minute' });
    const badCourse = { prices: { telegram: { amount: '4.5', currency: 'XTR' }, wechat: { amount: '1.999', currency: 'CNY' } }, pacing: { kind: 'drip', everyDays: 0 }, titleEn: 'x'.repeat(201), tags: 'photo' };
    const zhCourse = await admin.agent.patch(`/api/courses/${id}`).set(admin.csrf).set('Accept-Language', 'zh-CN,zh;q=0.9,en;q=0.5').send(badCourse).expect(400);
    expect(messages(zhCourse)).toEqual({
      'prices.telegram.amount': 'Telegram 星星只能是整数', 'prices.wechat.amount': '最多保留 2 位小数', 'pacing.everyDays': '最短每 1 天解锁一课', titleEn: '最多 200 个字', tags: '请填写此项',
    });
    expect(zhCourse.body.error.message).toContain('titleEn: 最多 200 个字');
    const enCourse = await admin.agent.patch(`/api/courses/${id}`).set(admin.csrf).send(badCourse).expect(400);
    expect(messages(enCourse)).toEqual({
      'prices.telegram.amount': 'Telegram Stars are whole numbers', 'prices.wechat.amount': 'use at most 2 decimal places', 'pacing.everyDays': 'unlock at least every day', titleEn: 'enter at most 200 characters', tags: 'fill in this field',
    });
    const moved = await admin.agent.patch(`/api/courses/${id}/lessons/${content.body.chapters[0].lessons[2].id}`).set(admin.csrf).send({ position: 0, isFreePreview: true }).expect(200);
    expect(moved.body).toMatchObject({ position: 0, isFreePreview: true });
    const openapi = await request(consoleApp).get('/api/openapi.json').expect(200);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/courses/{id}/chapters', '/api/courses/{id}/chapters/{chapterId}/lessons', '/api/courses/{id}/lessons/{lessonId}']));
  });

  it('serves my courses to the mini-program with drip locks, completes lessons to 100 % with a certificate', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const { id, lessons } = await adminCourse();
    const me = await buyer(id);
    const call = async (method: 'get' | 'post', path: string, route: string, body?: object) => {
      const req = request(app)[method](path).set(me.auth);
      const res = body ? await req.send(body) : await req;
      expect(validateResponse(document, route, method, res.status, res.body)).toEqual([]);
      return res;
    };
    const list = await call('get', '/mp/my/courses?locale=en', '/my/courses');
    expect(list.body.items).toMatchObject([{ course: { id, title: 'Photography basics', teacher: '陈老师' }, percent: 0, totalLessons: 3, nextLesson: { id: lessons[0] } }]);
    const detail = await call('get', `/mp/my/courses/${id}?locale=en`, '/my/courses/{id}');
    expect(detail.body.chapters[0].lessons.map((l: { isUnlocked: boolean }) => l.isUnlocked)).toEqual([true, false, false]);
    expect(detail.body.chapters[0].lessons[1].url).toBeNull();
    const locked = await call('post', `/mp/my/lessons/${lessons[1]}/progress`, '/my/lessons/{id}/progress', { status: 'completed' });
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('lesson_locked');
    expect((await call('post', `/mp/my/lessons/${lessons[0]}/progress`, '/my/lessons/{id}/progress', { status: 'completed' })).status).toBe(201);
    expect((await call('post', `/mp/my/lessons/${lessons[0]}/progress`, '/my/lessons/{id}/progress', { status: 'completed' })).status).toBe(200);
    clock.advance(4 * DAY);
    await call('post', `/mp/my/lessons/${lessons[1]}/progress`, '/my/lessons/{id}/progress', { status: 'completed' });
    const done = await call('post', `/mp/my/lessons/${lessons[2]}/progress?locale=en`, '/my/lessons/{id}/progress', { status: 'completed' });
    expect(done.body.progress).toMatchObject({ percent: 100, certificate: { title: 'Certificate of Completion', text: expect.stringContaining('completed all 3 lessons of "Photography basics"') } });
    const stranger = issueSessionToken(MP_SECRET, { followerId: randomUUID(), openId: 'x' }, clock.now(), 3600).token;
    expect((await request(app).get(`/mp/my/courses/${id}`).set('Authorization', `Bearer ${stranger}`)).status).toBe(404);
    expect((await request(app).get('/mp/my/courses')).status).toBe(401);
  });

  it('opens a lesson link only for its learner: a forwarded link is refused even before its owner opened it', async () => {
    clock.set(new Date('2026-03-02T02:00:00Z'));
    const { id, lessons } = await adminCourse();
    const alice = await buyer(id);
    const bob = await buyer(id);
    const link = (followerId: string, ttl = DAY) => `/learn/${signLessonLink(followerId, lessons[0]!, new Date(clock.now().getTime() + ttl), LINK_SECRET)}`;
    const aliceLink = link(alice.followerId);

    // Bob got Alice's link forwarded and clicks it first: nobody can be identified, so no lesson, and no cookie.
    const unknown = await request(app).get(aliceLink).set('Accept-Language', 'en').expect(401);
    expect(unknown.text).toContain('send &quot;code&quot; to the Zhiliao bot');
    expect(unknown.text).not.toContain('Lesson 1 text');
    expect(unknown.headers['set-cookie']).toBeUndefined();
    // Bob's own code (from his own chat) does not open Alice's link; neither does his mini-program session.
    const wrong = await request(app).post(aliceLink).type('form').send({ code: learnerCode(LINK_SECRET, bob.followerId, clock.now()) }).set('Accept-Language', 'en').expect(403);
    expect(wrong.text).toContain('This link belongs only to the learner it was sent to');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const forwarded = await request(app).get(aliceLink).set(bob.auth).expect(403);
    expect(forwarded.text).toContain('belongs to another learner');

    // Alice proves it is her with the code her chat gave her: the lesson, and this browser is hers.
    const opened = await request(app).post(aliceLink).type('form').send({ code: learnerCode(LINK_SECRET, alice.followerId, clock.now()) }).expect(200);
    expect(opened.text).toContain('Lesson 1 text');
    expect(opened.text).toContain('https://video.example.com/1.mp4');
    const aliceCookie = opened.headers['set-cookie'] as unknown as string[];
    await request(app).get(aliceLink).set('Cookie', aliceCookie).expect(200);
    await request(app).get(aliceLink).set(alice.auth).expect(200);
    // Bob's browser, proven his, is refused Alice's link.
    const bobCookie = (await request(app).post(link(bob.followerId)).type('form').send({ code: learnerCode(LINK_SECRET, bob.followerId, clock.now()) }).expect(200)).headers['set-cookie'] as unknown as string[];
    await request(app).get(aliceLink).set('Cookie', bobCookie).expect(403);
    // Guessing codes stops after five tries per learner and window.
    for (let i = 0; i < 4; i += 1) await request(app).post(aliceLink).type('form').send({ code: '000000' }).expect((res) => expect([403, 429]).toContain(res.status));
    await request(app).post(aliceLink).type('form').send({ code: learnerCode(LINK_SECRET, alice.followerId, clock.now()) }).expect(429);
    clock.advance(20 * 60_000);
    // A code is good for ten to twenty minutes.
    await request(app).post(aliceLink).type('form').send({ code: learnerCode(LINK_SECRET, alice.followerId, new Date(clock.now().getTime() - 20 * 60_000)) }).expect(403);

    // Expired: refused for its owner too, with or without a code.
    const soon = link(alice.followerId, 60_000);
    clock.advance(60_000);
    const expired = await request(app).get(soon).set('Cookie', aliceCookie).expect(410);
    expect(expired.text).toContain('This learning link has expired');
    await request(app).get(soon).set('Accept-Language', 'zh-CN').expect(410);
    await request(app).post(soon).type('form').send({ code: learnerCode(LINK_SECRET, alice.followerId, clock.now()) }).expect(410);
    await request(app).get(`/learn/${'0'.repeat(64)}abc.${'A'.repeat(43)}`).expect(404);
    await refundOrder({ uow: new PgUnitOfWork(database.db), clock, gateways: new Map() }, { orderId: alice.orderId, actor: 'admin:test', reason: 'asked' });
    await request(app).get(link(alice.followerId)).set('Cookie', aliceCookie).expect(403);
    expect((await request(app).get(`/mp/my/courses/${id}`).set(alice.auth)).status).toBe(403);
    expect((await request(app).get('/mp/my/courses').set(alice.auth)).body.items).toEqual([]);
  });
});
