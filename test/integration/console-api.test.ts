import { readdirSync, readFileSync } from 'node:fs';
import request from 'supertest';
import type { Express } from 'express';
import { sql } from 'drizzle-orm';
import { erasedPseudonym } from '../../core/index.js';
import { queryRows, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { addAccount, createConsoleTestApp, logInAgent, seedActivity } from './console-support.js';

const DAY = new Date('2025-03-10T06:00:00Z');

describe.each(testTargets())('console API (%s)', (target) => {
  let database: Database;
  let app: Express;
  let admin: Awaited<ReturnType<typeof logInAgent>>;
  let courseId: string;
  let seeded: Awaited<ReturnType<typeof seedActivity>>;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    app = createConsoleTestApp(database);
    await addAccount(database, 'admin', 'root@example.com');
    admin = await logInAgent(app, 'root@example.com');
    const course = await admin.agent.post('/api/courses').set(admin.csrf).send({ slug: 'py-101', titleZh: 'Python 入门', titleEn: 'Python 101', priceMinor: 19900, status: 'on_sale' }).expect(201);
    courseId = course.body.id;
    seeded = await seedActivity(app, database, courseId, 12, DAY);
  });
  afterAll(async () => {
    await database.close();
  });

  it('computes the funnel, revenue and followers by platform from events and orders', async () => {
    const res = await admin.agent.get('/api/dashboard?from=2025-03-01&to=2025-03-11').expect(200);
    const funnel = Object.fromEntries(res.body.funnel.map((s: { step: string; followers: number }) => [s.step, s.followers]));
    expect(funnel).toEqual(seeded.expected);
    // A true funnel: each step at most the one before, with the rate from the step before.
    const steps = res.body.funnel as { step: string; followers: number; rate: number | null }[];
    expect(steps.map((s) => s.step)).toEqual(['active', 'engaged', 'viewed', 'checkout', 'purchase']);
    for (let i = 1; i < steps.length; i += 1) {
      expect(steps[i]!.followers).toBeLessThanOrEqual(steps[i - 1]!.followers);
      expect(steps[i]!.rate).toBeCloseTo(steps[i]!.followers / steps[i - 1]!.followers);
    }
    expect(steps[0]!.rate).toBeNull();
    expect(res.body.revenueByDay).toEqual([{ day: '2025-03-10', currency: 'CNY', amountMinor: 19900 * seeded.expected.purchase, orders: seeded.expected.purchase }]);
    expect(res.body.revenueByCourse[0]).toMatchObject({ courseId, titleZh: 'Python 入门', titleEn: 'Python 101', amountMinor: 19900 * seeded.expected.purchase });
    const totals = res.body.followersByDay.filter((r: { day: string }) => r.day === '2025-03-10');
    expect(totals.map((r: { platform: string; total: number }) => [r.platform, r.total]).sort()).toEqual([['telegram', 6], ['wechat', 6]]);
    expect(res.body.topCourses[0]).toMatchObject({ courseId, views: Math.ceil(12 / 3), purchases: seeded.expected.purchase, revenue: [{ currency: 'CNY', amountMinor: 19900 * seeded.expected.purchase }] });
    expect(res.body.conversionBySegment.map((s: { platform: string; locale: string }) => `${s.platform}/${s.locale}`).sort()).toEqual(['telegram/zh-CN', 'wechat/zh-CN']);
    const segmentBuyers = res.body.conversionBySegment.reduce((n: number, s: { buyers: number }) => n + s.buyers, 0);
    expect(segmentBuyers).toBe(seeded.expected.purchase);
    const outside = await admin.agent.get('/api/dashboard?from=2025-02-01&to=2025-02-28').expect(200);
    expect(outside.body.revenueByDay).toEqual([]);
  });

  it("limits a creator's dashboard to their own courses and the followers who touched them", async () => {
    await addAccount(database, 'creator', 'dash-creator@example.com');
    const creator = await logInAgent(app, 'dash-creator@example.com');
    const empty = await creator.agent.get('/api/dashboard?from=2025-03-01&to=2025-03-11').expect(200);
    expect(empty.body).toMatchObject({ scope: 'own_courses', followersByDay: [], revenueByDay: [], revenueByCourse: [], conversionBySegment: [], topCourses: [] });
    expect(empty.body.funnel.map((s: { followers: number }) => s.followers)).toEqual([0, 0, 0, 0, 0]);

    // One follower of the platform looks at the creator's course and buys it for Stars: that is all the creator sees.
    const own = await creator.agent.post('/api/courses').set(creator.csrf).send({ slug: 'dash-own', titleZh: '自己的课', titleEn: 'Own course', priceMinor: 9900, status: 'on_sale' }).expect(201);
    const buyer = seeded.ids[2]; // tg-2: a Telegram follower who only wrote a message on the platform
    await request(app).post('/api/events').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
      .send({ events: [{ kind: 'view', platform: 'telegram', followerId: buyer, courseId: own.body.id, externalId: 'dash-own-view', occurredAt: DAY.toISOString() }] }).expect(201);
    await database.db.execute(sql`insert into orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at)
      values (${buyer!}, ${own.body.id}, 49, 'XTR', 'telegram_stars', 'paid', ${DAY})`);
    const res = await creator.agent.get('/api/dashboard?from=2025-03-01&to=2025-03-11').expect(200);
    expect(res.body.followersByDay).toEqual([{ day: '2025-03-10', platform: 'telegram', newFollowers: 1, total: 1 }]);
    expect(res.body.funnel.map((s: { followers: number }) => s.followers)).toEqual([1, 1, 1, 1, 1]);
    expect(res.body.revenueByDay).toEqual([{ day: '2025-03-10', currency: 'XTR', amountMinor: 49, orders: 1 }]);
    expect(res.body.conversionBySegment).toEqual([{ platform: 'telegram', locale: 'zh-CN', followers: 1, buyers: 1, rate: 1 }]);
    expect(res.body.topCourses).toEqual([{ courseId: own.body.id, titleZh: '自己的课', titleEn: 'Own course', views: 1, purchases: 1, revenue: [{ currency: 'XTR', amountMinor: 49 }] }]);

    // The admin's top course keeps yuan and Stars apart.
    const admin2 = await admin.agent.get('/api/dashboard?from=2025-03-01&to=2025-03-11').expect(200);
    const ownRow = admin2.body.topCourses.find((c: { courseId: string }) => c.courseId === own.body.id);
    expect(ownRow.revenue).toEqual([{ currency: 'XTR', amountMinor: 49 }]);
  });

  it('pages, filters and sorts followers, each with paid orders and spend per currency', async () => {
    const first = await admin.agent.get('/api/followers?pageSize=5&sort=first_seen&order=asc').expect(200);
    const second = await admin.agent.get('/api/followers?pageSize=5&page=2&sort=first_seen&order=asc').expect(200);
    expect(first.body.total).toBe(second.body.total);
    expect(first.body.items).toHaveLength(5);
    const ids = [...first.body.items, ...second.body.items].map((f: { id: string }) => f.id);
    expect(new Set(ids).size).toBe(ids.length);

    const buyers = await admin.agent.get('/api/followers?audience=buyers&sort=orders').expect(200);
    // The seeded payers, and the follower who bought the creator's course for Stars in the test before.
    expect(buyers.body.total).toBe(seeded.expected.purchase + 1);
    expect(buyers.body.items.every((f: { paidOrders: number }) => f.paidOrders >= 1)).toBe(true);
    const spent = Object.fromEntries(buyers.body.items.map((f: { id: string; spent: unknown }) => [f.id, f.spent]));
    expect(spent[seeded.ids[0]!]).toEqual([{ currency: 'CNY', amountMinor: 19900 }]);
    expect(spent[seeded.ids[2]!]).toEqual([{ currency: 'XTR', amountMinor: 49 }]);

    const wechat = await admin.agent.get('/api/followers?platform=wechat&pageSize=100').expect(200);
    expect(wechat.body.total).toBe(6);
    expect(wechat.body.items.every((f: { identities: { kind: string }[] }) => f.identities.some((i) => i.kind === 'wechat'))).toBe(true);

    const byEvents = await admin.agent.get('/api/followers?sort=events&order=desc&pageSize=100').expect(200);
    const counts = byEvents.body.items.map((f: { eventCount: number }) => f.eventCount);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    await admin.agent.get('/api/followers?sort=shoe_size').expect(400);
    await admin.agent.get('/api/followers?platform=myspace').expect(400);
  });

  it('searches followers, shows a timeline, exports and deletes one follower with an audit trail', async () => {
    const list = await admin.agent.get('/api/followers?q=tg-0-&pageSize=5').expect(200);
    expect(list.body.total).toBe(1);
    const follower = list.body.items[0];
    const timeline = await admin.agent.get(`/api/followers/${follower.id}/timeline`).expect(200);
    expect(timeline.body.items.map((e: { kind: string }) => e.kind).sort()).toEqual(['checkout', 'follow', 'message', 'view']);
    expect(timeline.body.items.find((e: { kind: string }) => e.kind === 'view')).toMatchObject({ courseTitleZh: 'Python 入门', courseTitleEn: 'Python 101' });
    expect(timeline.body.items.find((e: { kind: string }) => e.kind === 'message').payload).toEqual({ text: 'python 课程' });
    const exported = await admin.agent.get(`/api/followers/${follower.id}/export`).expect(200);
    expect(exported.body.identities).toHaveLength(1);
    expect(exported.body.events).toHaveLength(4);
    expect(exported.body.orders).toHaveLength(1);
    await admin.agent.delete(`/api/followers/${follower.id}`).expect(403);
    await admin.agent.delete(`/api/followers/${follower.id}`).set(admin.csrf).expect(204);
    await admin.agent.get(`/api/followers/${follower.id}/export`).expect(404);
    const left = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where follower_id = ${follower.id}`);
    expect(left[0]!.n).toBe(0);
    const audit = await queryRows<{ action: string }>(database.db, sql`select action from audit_log where subject_id = ${erasedPseudonym(follower.id)} order by id`);
    expect(audit.map((a) => a.action)).toEqual(['follower.export', 'follower.delete']);
  });

  it('edits prices, archives, and manages coupons with validation', async () => {
    const patched = await admin.agent.patch(`/api/courses/${courseId}`).set(admin.csrf).send({ priceMinor: 9900, currency: 'CNY' }).expect(200);
    expect(patched.body.priceMinor).toBe(9900);
    await admin.agent.patch(`/api/courses/${courseId}`).set(admin.csrf).send({ priceMinor: -1 }).expect(400);
    await admin.agent.post('/api/courses').set(admin.csrf).send({ slug: 'py-101', titleZh: 'x', titleEn: 'x', priceMinor: 1 }).expect(409);
    const coupon = await admin.agent.post(`/api/courses/${courseId}/coupons`).set(admin.csrf).send({ code: 'spring20', percentOff: 20 }).expect(201);
    expect(coupon.body.code).toBe('SPRING20');
    await admin.agent.post(`/api/courses/${courseId}/coupons`).set(admin.csrf).send({ code: 'SPRING20', percentOff: 10 }).expect(409);
    await admin.agent.post(`/api/courses/${courseId}/coupons`).set(admin.csrf).send({ code: 'BOTH', percentOff: 10, amountOffMinor: 100 }).expect(400);
    await admin.agent.patch(`/api/courses/${courseId}/coupons/${coupon.body.id}`).set(admin.csrf).send({ isActive: false }).expect(200);
    const archived = await admin.agent.post(`/api/courses/${courseId}/archive`).set(admin.csrf).expect(200);
    expect(archived.body.status).toBe('archived');
    const audit = await queryRows<{ action: string }>(database.db, sql`select action from audit_log where subject_type in ('course', 'coupon') and actor not in (select 'account:' || id from accounts where email = 'dash-creator@example.com') order by id`);
    expect(audit.map((a) => a.action)).toEqual(['course.create', 'course.update', 'coupon.create', 'coupon.deactivate', 'course.archive']);
  });

  it('saves caps and quiet hours through the one campaigns guard-settings API (audited), and consent texts', async () => {
    await admin.agent.put('/api/guard-settings').set(admin.csrf).send({ dailyCap: 3, weeklyCap: 7, quietHours: { start: '22:30', end: '08:00' } }).expect(200);
    await admin.agent.put('/api/guard-settings').set(admin.csrf).send({ dailyCap: 3, weeklyCap: 7, quietHours: { start: '25:00', end: '08:00' } }).expect(400);
    const [row] = await queryRows<{ daily_cap: number; quiet_start: string }>(database.db, sql`select daily_cap, quiet_start from guard_settings where id = 1`);
    expect(row).toEqual({ daily_cap: 3, quiet_start: '22:30' });
    expect((await admin.agent.get('/api/guard-settings').expect(200)).body).toEqual({ dailyCap: 3, weeklyCap: 7, quietHours: { start: '22:30', end: '08:00' }, controlPercent: 0 });
    await admin.agent.put('/api/settings/guards').set(admin.csrf).send({ dailyCap: 3, weeklyCap: 7, quietStart: '22:30', quietEnd: '08:00' }).expect(404);
    const texts = { marketingZh: '接收推荐？', marketingEn: 'Get offers?', optOutZh: '回复退订', optOutEn: 'Reply /stop' };
    await admin.agent.put('/api/settings/consent-texts').set(admin.csrf).send(texts).expect(200);
    const settings = await admin.agent.get('/api/settings').expect(200);
    expect(settings.body.consentTexts).toEqual(texts);
    expect(settings.body.channels[0]).toMatchObject({ channel: 'http', isOn: true });
    expect(settings.body).not.toHaveProperty('guards');
  });

  it('pages the audit log newest first and filters it by subject', async () => {
    const all = await admin.agent.get('/api/audit-log?pageSize=3').expect(200);
    expect(all.body).toMatchObject({ page: 1, pageSize: 3 });
    expect(all.body.items).toHaveLength(3);
    expect(all.body.total).toBeGreaterThan(3);
    const ids = all.body.items.map((e: { id: number }) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const second = await admin.agent.get('/api/audit-log?pageSize=3&page=2').expect(200);
    expect(second.body.items[0].id).toBeLessThan(ids[2]);
    const guards = await admin.agent.get('/api/audit-log?subjectType=settings&subjectId=guards').expect(200);
    expect(guards.body.total).toBe(1);
    expect(guards.body.items[0]).toMatchObject({ action: 'settings.guards', actor: expect.stringMatching(/^account:/), details: { to: { dailyCap: 3 } } });
    await admin.agent.get('/api/audit-log?pageSize=1000').expect(400);
  });

  it('publishes an OpenAPI 3 document whose request schemas come from the zod validators', async () => {
    const res = await request(app).get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const createCourse = res.body.paths['/api/courses'].post.requestBody.content['application/json'].schema;
    expect(createCourse.required).toEqual(expect.arrayContaining(['slug', 'titleZh', 'titleEn']));
    expect(createCourse.properties.prices.properties.telegram).toBeDefined();
    expect(res.body.paths['/api/followers/{id}'].delete.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
    expect(res.body.paths['/api/broadcasts'].post.requestBody.content['application/json'].schema.properties.variants).toBeDefined();
  });

  it('documents every console API route in /api/openapi.json', async () => {
    const documented = new Set<string>();
    for (const [route, methods] of Object.entries((await request(app).get('/api/openapi.json').expect(200)).body.paths as Record<string, object>)) {
      for (const method of Object.keys(methods)) documented.add(`${method} ${route}`);
    }
    // Every `router.<method>('<path>'` in the API's route files; auth routes are mounted under /auth.
    const files = [...readdirSync('adapters/http/routes').map((f) => `adapters/http/routes/${f}`), 'adapters/wechat/login-qr-route.ts'];
    const expand: Record<string, string[]> = { ':command': ['pause', 'resume', 'cancel'], ':verdict': ['clear', 'confirm'] };
    const routes: string[] = [];
    for (const file of files.filter((f) => !f.endsWith('openapi.ts'))) {
      const prefix = file.endsWith('console-auth-routes.ts') ? '/api/auth' : '/api';
      for (const [, method, path] of readFileSync(file, 'utf8').matchAll(/router\.(get|post|put|patch|delete)\(\s*'([^']+)'/g)) {
        const variants = Object.entries(expand).reduce((paths, [param, values]) => paths.flatMap((p) => (p.includes(param) ? values.map((v) => p.replace(param, v)) : [p])), [path!]);
        for (const p of variants) routes.push(`${method} ${prefix}${p.replace(/:(\w+)/g, '{$1}')}`);
      }
    }
    routes.push('get /api/broadcasts/{id}/results', 'get /api/retargeting-rules/{id}/results'); // experiments.ts registers these in a loop
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });
});
