import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { sql } from 'drizzle-orm';
import { queryRows, seedDemoCatalogue, type Database } from '../../../models/index.js';
import { courseInputSchema, type Repositories } from '../../../core/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TestClock } from '../../support/http.js';
import { createMpTestApp } from './mp-app.js';
import { validateResponse } from './openapi-validator.js';
import { code2SessionServer, listen } from './wechat-fakes.js';

describe.each(testTargets())('mini-program login, catalogue, recommendations and events on %s', (target) => {
  let database: Database;
  let app: Express;
  let repos: Repositories;
  let unconfigured: Express;
  let wechat: ReturnType<typeof code2SessionServer>;
  let wechatServer: Server;
  let document: Record<string, unknown>;
  const clock = new TestClock(new Date('2025-03-01T08:00:00Z'));

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    wechat = code2SessionServer();
    wechatServer = wechat.server;
    const base = await listen(wechatServer);
    ({ app, repos } = createMpTestApp(database, { clock, code2SessionBase: base, eventsPerMinute: 60 }));
    unconfigured = createMpTestApp(database, { clock }).app;
    await repos.courses.insertMissing([courseInputSchema.parse({ slug: 'secret-draft', titleZh: '草稿课', titleEn: 'Draft course', tags: ['python'], priceMinor: 100, status: 'draft' })]);
    document = (await request(app).get('/mp/openapi.json').expect(200)).body as Record<string, unknown>;
  });
  afterAll(async () => {
    await new Promise((resolve) => wechatServer.close(resolve));
    await database.close();
  });

  /** Sends a request and checks the answer against the served OpenAPI document. */
  async function call(method: 'get' | 'post', path: string, route: string, options: { token?: string; body?: unknown } = {}) {
    let req = request(app)[method](path);
    if (options.token) req = req.set('Authorization', `Bearer ${options.token}`);
    const res = options.body === undefined ? await req : await req.send(options.body as object);
    expect(validateResponse(document, route, method, res.status, res.body)).toEqual([]);
    return res;
  }

  const login = async (code: string) => (await call('post', '/mp/login', '/login', { body: { code } })).body as { token: string; follower: { id: string; isNew: boolean } };

  it('serves an OpenAPI 3 document describing every /mp route', () => {
    expect(document['openapi']).toMatch(/^3\./);
    expect(Object.keys(document['paths'] as object).sort()).toEqual(['/courses', '/courses/{id}', '/events', '/login', '/my/courses', '/my/courses/{id}', '/my/lessons/{id}/progress', '/my/referral', '/orders', '/orders/{id}', '/orders/{id}/cancel', '/pay/notify', '/recommendations', '/sandbox/pay', '/xpay/notify']);
  });

  it('logs in with a wx.login code, returns our own token and never the session_key', async () => {
    const openId = `o-${randomUUID()}`;
    const res = await call('post', '/mp/login', '/login', { body: { code: `ok:${openId}` } });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toMatch(/sk-|session_key/);
    expect(res.body.token).toMatch(/^v1\./);
    const follower = await repos.followers.findByIdentity('mp_openid', openId);
    expect(follower?.id).toBe(res.body.follower.id);
    const again = await call('post', '/mp/login', '/login', { body: { code: `ok:${openId}` } });
    expect(again.status).toBe(200);
    expect(again.body.follower).toMatchObject({ id: follower!.id, isNew: false });
  });

  it('makes one follower of one person: the unionid links openids and a wechat identity', async () => {
    const unionId = `u-${randomUUID()}`;
    const first = await login(`ok:oA-${unionId}:${unionId}`);
    const second = await login(`ok:oB-${unionId}:${unionId}`);
    expect(second.follower.id).toBe(first.follower.id);
    expect((await repos.followers.findByIdentity('mp_unionid', unionId))?.id).toBe(first.follower.id);
    // A follower known to the bot under the same unionid is the same person.
    const botUnion = `u-${randomUUID()}`;
    const { follower: botFollower } = await repos.followers.resolveIdentity({ kind: 'wechat', externalId: botUnion });
    expect((await login(`ok:oC-${botUnion}:${botUnion}`)).follower.id).toBe(botFollower.id);
  });

  it('rejects garbage, expired and used codes with 401, and a bad body with 400', async () => {
    for (const code of ['garbage', 'used']) {
      const res = await call('post', '/mp/login', '/login', { body: { code } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_code');
    }
    expect((await call('post', '/mp/login', '/login', { body: { code: 'busy' } })).status).toBe(502);
    expect((await call('post', '/mp/login', '/login', { body: { code: '' } })).status).toBe(400);
    expect((await call('post', '/mp/login', '/login', { body: {} })).status).toBe(400);
  });

  it('answers a clear 503 for login without WeChat config, while the catalogue still works', async () => {
    const res = await request(unconfigured).post('/mp/login').send({ code: 'ok:x' }).expect(503);
    expect(res.body.error.message).toBe('WeChat login is not configured: set WECHAT_APP_ID and WECHAT_APP_SECRET');
    await request(unconfigured).get('/mp/courses').expect(200);
  });

  it('lists only courses on sale, with paging, search, tag filter and language', async () => {
    const page = await call('get', '/mp/courses?page=1&pageSize=5', '/courses');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(5);
    const all = await call('get', '/mp/courses?pageSize=100', '/courses');
    expect(all.body.items.map((c: { slug: string }) => c.slug)).not.toContain('secret-draft');
    expect(all.body.total).toBe(all.body.items.length);
    const tagged = await call('get', '/mp/courses?tag=photography&locale=en', '/courses');
    expect(tagged.body.items.length).toBeGreaterThan(0);
    for (const c of tagged.body.items as Array<{ tags: string[] }>) expect(c.tags).toContain('photography');
    const searched = await call('get', `/mp/courses?q=${encodeURIComponent('摄影')}`, '/courses');
    expect(searched.body.items.length).toBeGreaterThan(0);
    for (const c of searched.body.items as Array<{ title: string; description: string }>) expect(`${c.title}${c.description}`).toMatch(/摄影/);
    expect((await call('get', '/mp/courses?pageSize=1000', '/courses')).status).toBe(400);
  });

  it('shows one course on sale and 404s drafts and unknown ids', async () => {
    const course = (await repos.courses.findBySlug('phone-photography'))!;
    const res = await call('get', `/mp/courses/${course.id}?locale=en`, '/courses/{id}');
    expect(res.body).toMatchObject({ id: course.id, title: course.titleEn, price: { amountMinor: course.priceMinor, currency: 'CNY' } });
    const draft = (await repos.courses.findBySlug('secret-draft'))!;
    expect((await call('get', `/mp/courses/${draft.id}`, '/courses/{id}')).status).toBe(404);
    expect((await call('get', `/mp/courses/${randomUUID()}`, '/courses/{id}')).status).toBe(404);
    expect((await call('get', '/mp/courses/not-a-uuid', '/courses/{id}')).status).toBe(404);
  });

  it('recommends courses to a session, never without one, and expires sessions', async () => {
    expect((await call('get', '/mp/recommendations', '/recommendations')).status).toBe(401);
    expect((await call('get', '/mp/recommendations', '/recommendations', { token: 'v1.forged.token' })).status).toBe(401);
    const { token } = await login(`ok:o-${randomUUID()}`);
    const res = await call('get', '/mp/recommendations?limit=3', '/recommendations', { token });
    expect(res.body.items).toHaveLength(3);
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await call('get', '/mp/recommendations', '/recommendations', { token: tampered })).body.error.code).toBe('invalid_session');
    clock.advance(3601_000);
    const expired = await call('get', '/mp/recommendations', '/recommendations', { token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('session_expired');
  });

  it('records tracking batches for the session follower, idempotently', async () => {
    const { token, follower } = await login(`ok:o-${randomUUID()}`);
    const course = (await repos.courses.findBySlug('python-zero-to-hero'))!;
    const events = [
      { kind: 'view', clientEventId: 'v-1', courseId: course.id },
      { kind: 'click', clientEventId: 'c-1', courseId: course.id, payload: { from: 'home' } },
      { kind: 'share', clientEventId: 's-1', courseId: course.id },
      { kind: 'like', clientEventId: 'l-1', courseId: course.id },
    ];
    const first = await call('post', '/mp/events', '/events', { token, body: { events } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ recorded: 4, duplicates: 0 });
    const again = await call('post', '/mp/events', '/events', { token, body: { events } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 4 });
    const rows = await queryRows<{ kind: string; platform: string }>(database.db, sql`select kind, platform from events where follower_id = ${follower.id} order by id`);
    expect(rows).toEqual(events.map((e) => ({ kind: e.kind, platform: 'miniprogram' })));
  });

  it('stores a NUL or a lone surrogate in a tracking payload as U+FFFD instead of failing', async () => {
    const { token, follower } = await login(`ok:o-${randomUUID()}`);
    const res = await call('post', '/mp/events', '/events', { token, body: { events: [{ kind: 'click', clientEventId: 'nul-1', payload: { from: 'ho\u0000me', q: '\ud800' } }] } });
    expect(res.status).toBe(201);
    const rows = await queryRows<{ payload: Record<string, unknown> }>(database.db, sql`select payload from events where follower_id = ${follower.id}`);
    expect(rows.map((r) => r.payload)).toEqual([{ from: 'ho\ufffdme', q: '\ufffd' }]);
  });

  it('rejects oversize and invalid batches, writing nothing, and rate-limits a session', async () => {
    const { token, follower } = await login(`ok:o-${randomUUID()}`);
    const count = async () => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where follower_id = ${follower.id}`))[0]!.n;
    const oversize = Array.from({ length: 51 }, (_, i) => ({ kind: 'view', clientEventId: `big-${i}` }));
    expect((await call('post', '/mp/events', '/events', { token, body: { events: oversize } })).status).toBe(413);
    expect((await call('post', '/mp/events', '/events', { token, body: { events: [{ kind: 'purchase', clientEventId: 'p' }] } })).status).toBe(400);
    expect((await call('post', '/mp/events', '/events', { token, body: { events: [{ kind: 'view', clientEventId: 'x', courseId: randomUUID() }] } })).status).toBe(422);
    expect(await count()).toBe(0);
    // The budget (60 a minute) counts every event submitted, rejected ones too: 1 so far.
    const batch = (from: number) => Array.from({ length: 29 }, (_, i) => ({ kind: 'view', clientEventId: `r-${from + i}` }));
    expect((await call('post', '/mp/events', '/events', { token, body: { events: batch(0) } })).status).toBe(201);
    expect((await call('post', '/mp/events', '/events', { token, body: { events: batch(29) } })).status).toBe(201);
    const limited = await call('post', '/mp/events', '/events', { token, body: { events: batch(58) } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await count()).toBe(58);
    clock.advance(60_000);
    expect((await call('post', '/mp/events', '/events', { token, body: { events: batch(58) } })).status).toBe(201);
  });
});
