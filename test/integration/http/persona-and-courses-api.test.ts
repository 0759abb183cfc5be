import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { seedDemoCatalogue, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { createTestApp, TestClock, type TestApp } from '../../support/http.js';

const NOW = new Date('2026-03-10T12:00:00Z');

describe.each(testTargets())('persona and catalogue API on %s', (target) => {
  let database: Database;
  let t: TestApp;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    t = createTestApp(database, { clock: new TestClock(NOW) });
  });
  afterAll(() => database.close());

  it('computes a persona from recorded events in the follower’s time zone', async () => {
    const photo = (await t.repos.courses.findBySlug('phone-photography'))!;
    const who = { kind: 'telegram', externalId: `tg-${randomUUID()}`, timeZone: 'America/New_York', locale: 'en' };
    // 13:00 UTC on 2026-03-09 is 09:00 in New York (EDT starts 2026-03-08).
    const at = '2026-03-09T13:00:00Z';
    const events = [
      { kind: 'follow', platform: 'telegram', externalId: `${who.externalId}-1`, identity: who, occurredAt: at },
      { kind: 'view', platform: 'telegram', externalId: `${who.externalId}-2`, identity: who, courseId: photo.id, occurredAt: at },
      { kind: 'click', platform: 'telegram', externalId: `${who.externalId}-3`, identity: who, courseId: photo.id, occurredAt: at },
      { kind: 'message', platform: 'telegram', externalId: `${who.externalId}-4`, identity: who, payload: { text: '有没有理财课程?' }, occurredAt: at },
    ];
    const recorded = await request(t.app).post('/api/events').set(t.auth).send({ events }).expect(201);
    const followerId = recorded.body.results[0].followerId as string;

    const res = await request(t.app).get(`/api/followers/${followerId}/persona`).set(t.auth).expect(200);
    expect(res.body.interests[0]).toEqual({ tag: 'photography', weight: 1, zh: '摄影', en: 'Photography' });
    expect(res.body.interests.map((i: { tag: string }) => i.tag)).toContain('personal-finance');
    expect(res.body.activeHours[9]).toBe(4);
    expect(res.body.peakHour).toBe(9);
    expect(res.body.timeZone).toBe('America/New_York');
    expect(res.body.lifecycle).toBe('engaged'); // view, click and message: 3 interactions in 14 days
    expect(res.body.priceBand).toBe('mid');
    expect(res.body.rfm).toMatchObject({ recencyDays: 1, frequency30d: 4 });
  });

  it('answers 404 for an unknown follower and 400 for a malformed id', async () => {
    const missing = await request(t.app).get(`/api/followers/${randomUUID()}/persona`).set(t.auth).expect(404);
    expect(missing.body.error.code).toBe('follower_not_found');
    const bad = await request(t.app).get('/api/followers/not-a-uuid/persona').set(t.auth).expect(400);
    expect(bad.body.error.message).toMatch(/UUID/);
  });

  it('pages the catalogue and filters by tag and search text in either language', async () => {
    const page1 = await request(t.app).get('/api/courses?page=1&pageSize=10').set(t.auth).expect(200);
    expect(page1.body).toMatchObject({ page: 1, pageSize: 10, total: 30 });
    expect(page1.body.items).toHaveLength(10);
    const page3 = await request(t.app).get('/api/courses?page=3&pageSize=10').set(t.auth).expect(200);
    const ids = new Set([...page1.body.items, ...page3.body.items].map((c: { id: string }) => c.id));
    expect(ids.size).toBe(20);

    const tagged = await request(t.app).get('/api/courses?tag=investing').set(t.auth).expect(200);
    expect(tagged.body.items.map((c: { slug: string }) => c.slug).sort()).toEqual(['index-fund-investing', 'stock-analysis']);
    const zh = await request(t.app).get(`/api/courses?q=${encodeURIComponent('摄影')}`).set(t.auth).expect(200);
    expect(zh.body.total).toBe(2);
    const en = await request(t.app).get('/api/courses?q=guitar').set(t.auth).expect(200);
    expect(en.body.items[0].priceMinor).toBe(15_900);
    expect(en.body.items[0].currency).toBe('CNY');
  });

  it('rejects a bad page size with a clear message', async () => {
    const res = await request(t.app).get('/api/courses?pageSize=1000').set(t.auth).expect(400);
    expect(res.body.error.message).toMatch(/pageSize/);
  });

  it('answers health and readiness', async () => {
    await request(t.app).get('/healthz').expect(200, /ok/);
    const ready = await request(t.app).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'ok' });
  });
});
