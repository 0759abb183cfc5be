import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { createLogger, createMetrics } from '../../../adapters/index.js';
import { buildRecommender } from '../../../bots/wire-recommender.js';
import { courseInputSchema, recordEvent, tagName, type NewEvent, type Repositories } from '../../../core/index.js';
import { PgUnitOfWork, seedDemoCatalogue, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { TestClock } from '../../support/http.js';
import { createMpTestApp } from './mp-app.js';
import { validateResponse } from './openapi-validator.js';
import { code2SessionServer, listen } from './wechat-fakes.js';

const WANTED = ['python', 'data-analysis'];
/** Eight more Python / data-analysis courses, so the catalogue holds twelve that match the sentence. */
const EXTRA = ['pandas-advanced', 'numpy-basics', 'python-automation', 'data-visualisation', 'python-web-scraping', 'statistics-with-python', 'python-for-finance', 'bi-dashboards'];

type Item = { course: { id: string; tags: string[] }; reason: { code: string; params: Record<string, string> }; reasonText: string };

describe.each(testTargets())('cold start from words through /mp/recommendations on %s', (target) => {
  let database: Database;
  let app: Express;
  let repos: Repositories;
  let document: Record<string, unknown>;
  let wechatServer: Server;
  const clock = new TestClock(new Date('2026-03-01T08:00:00Z'));

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    const wechat = code2SessionServer();
    wechatServer = wechat.server;
    ({ app, repos } = createMpTestApp(database, { clock, code2SessionBase: await listen(wechatServer) }));
    await repos.courses.insertMissing(EXTRA.map((slug, i) => courseInputSchema.parse({
      slug, titleZh: `数据课程 ${i}`, titleEn: `Data course ${i}`, descriptionZh: 'Python 数据分析实战', descriptionEn: 'Python data analysis in practice',
      tags: [i % 2 ? 'python' : 'data-analysis'], priceMinor: 19_900, status: 'on_sale',
    })));
    // Everybody else flocks to the English and photography courses, so popularity alone would put those first.
    const all = (await repos.courses.list({ page: 1, pageSize: 100, status: 'on_sale' })).items;
    const popular = all.filter((c) => c.tags.includes('english') || c.tags.includes('photography')).map((c) => c.id);
    const batch: NewEvent[] = [];
    for (let f = 0; f < 40; f++) {
      const { follower } = await repos.followers.resolveIdentity({ kind: 'telegram', externalId: `crowd-${f}` });
      popular.forEach((courseId, n) => {
        const occurredAt = new Date(Date.parse('2026-02-01T00:00:00Z') + f * 3_600_000 + n * 60_000);
        batch.push({ followerId: follower.id, courseId, kind: n % 2 ? 'purchase' : 'view', platform: 'api', externalId: randomUUID(), payload: {}, terms: [], occurredAt });
      });
    }
    await repos.events.append(batch);
    await buildRecommender({ db: database.db, repos, clock, logger: createLogger('silent') }).retrain();
    document = (await request(app).get('/mp/openapi.json').expect(200)).body as Record<string, unknown>;
  });
  afterAll(async () => {
    await new Promise((resolve) => wechatServer.close(resolve));
    await database.close();
  });

  async function recommendations(token: string, query: string): Promise<Item[]> {
    const res = await request(app).get(`/mp/recommendations${query}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(validateResponse(document, '/recommendations', 'get', res.status, res.body)).toEqual([]);
    return (res.body as { items: Item[] }).items;
  }

  it('puts the courses matching "我想学Python数据分析" first, labelled, in the follower\'s language', async () => {
    const openId = `o-${randomUUID()}`;
    const login = await request(app).post('/mp/login').send({ code: `ok:${openId}` }).expect(201);
    const { token, follower } = login.body as { token: string; follower: { id: string } };
    // The sentence arrives as the chat records it: a message event whose words feed the persona.
    const uow = new PgUnitOfWork(database.db);
    await recordEvent({ uow, clock, metrics: createMetrics().core }, { kind: 'message', platform: 'wechat', externalId: `said-${openId}`, followerId: follower.id, payload: { text: '我想学Python数据分析' } });

    const items = await recommendations(token, '?limit=10');
    expect(items).toHaveLength(10);
    const matches = items.map((item) => item.course.tags.some((tag) => WANTED.includes(tag)));
    expect(matches.filter(Boolean).length).toBeGreaterThanOrEqual(8);
    // Matching first: no match before the last matching pick.
    expect(matches.indexOf(false) === -1 || matches.lastIndexOf(true) < matches.indexOf(false)).toBe(true);
    const first = items[0]!;
    expect(first.reason.code).toBe('matches_what_you_said');
    expect(WANTED).toContain(first.reason.params['tag']);
    expect(first.reasonText).toBe(`符合你说想学的：${tagName(first.reason.params['tag']!, 'zh-CN')}`);

    await repos.followers.update(follower.id, { locale: 'en' });
    const english = await recommendations(token, '?limit=10');
    expect(english[0]!.reasonText).toBe(`Matches what you said you want to learn: ${tagName(english[0]!.reason.params['tag']!, 'en')}`);
    // A page may still ask for another language.
    expect((await recommendations(token, '?limit=3&locale=zh-CN'))[0]!.reasonText).toContain('符合你说想学的');
  });

  it('keeps popular picks for a newcomer who said nothing, labelled as such', async () => {
    const { token } = (await request(app).post('/mp/login').send({ code: `ok:o-${randomUUID()}` }).expect(201)).body as { token: string };
    const items = await recommendations(token, '?limit=5');
    expect(items.map((i) => i.reason.code)).toEqual(Array(5).fill('cold_start_popular'));
    expect(items[0]!.course.tags.some((tag) => tag === 'english' || tag === 'photography')).toBe(true);
  });
});
