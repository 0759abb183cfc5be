import { randomUUID } from 'node:crypto';
import { courseInputSchema, systemClock, type NewEvent } from '../../core/index.js';
import { createRecommender, retrainRecommender, type RecommenderArtifact } from '../../core/recommend/index.js';
import {
  PgCourseRepository, PgEventRepository, PgFollowerRepository, PgInteractionRepository, PgModelArtifactRepository, PgServingSignals, type Database,
} from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };

describe.each(testTargets())('recommender on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(async () => database.close());

  it('stores versioned artifacts, reads interactions from events, retrains and serves live history', async () => {
    const db = database.db;
    const courses = new PgCourseRepository(db);
    const followers = new PgFollowerRepository(db);
    const events = new PgEventRepository(db);
    const interactions = new PgInteractionRepository(db);
    const artifacts = new PgModelArtifactRepository(db);
    const tags = ['python', 'python', 'photography', 'photography', 'finance'];
    await courses.insertMissing(tags.map((tag, i) => courseInputSchema.parse({
      slug: `course-${i}`, titleZh: `课程${i}`, titleEn: `Course ${i}`, descriptionZh: tag === 'python' ? 'Python 数据分析' : '摄影入门', descriptionEn: `${tag} basics`,
      tags: [tag], priceMinor: 9_900, currency: 'CNY', priceStars: null, status: 'on_sale', creatorId: null,
    })));
    const ids = (await courses.list({ page: 1, pageSize: 10 })).items.sort((a, b) => a.slug.localeCompare(b.slug)).map((c) => c.id);
    const people = await Promise.all(Array.from({ length: 8 }, async (_, i) => (await followers.resolveIdentity({ kind: 'telegram', externalId: `u${i}` })).follower.id));
    const at = new Date('2026-01-01T10:00:00Z');
    const event = (followerId: string, courseId: string, kind: NewEvent['kind']): NewEvent => ({ followerId, courseId, kind, platform: 'api', externalId: randomUUID(), payload: {}, terms: [], occurredAt: at });
    // Followers 0-5 who view course 0 also view course 1 (python pair); course 2/3 are the photography pair.
    const batch: NewEvent[] = [];
    for (const f of people.slice(0, 6)) batch.push(event(f, ids[0]!, 'view'), event(f, ids[1]!, 'purchase'));
    for (const f of people.slice(2, 6)) batch.push(event(f, ids[2]!, 'view'), event(f, ids[3]!, 'click'));
    await events.append(batch);
    // An onboarding topic arrives as a message naming it; training reads its words with their time.
    await events.append([{ ...event(people[7]!, ids[0]!, 'message'), courseId: null, terms: ['python', '数据分析'] }]);
    const words = await interactions.listMessageTerms({ afterId: 0, limit: 10 });
    expect(words).toEqual([expect.objectContaining({ followerId: people[7], terms: ['python', '数据分析'], occurredAt: at })]);
    expect(await interactions.listMessageTerms({ afterId: words[0]!.id, limit: 10 })).toEqual([]);

    expect(await artifacts.latestVersion('recommender')).toBeNull();
    const page = await interactions.listCourseInteractions({ afterId: 0, limit: 5 });
    expect(page).toHaveLength(5);
    const rest = await interactions.listCourseInteractions({ afterId: page[4]!.id, limit: 100 });
    expect(page.length + rest.length).toBe(batch.length);

    const progress: number[] = [];
    const clock = { now: () => new Date('2026-01-02T10:00:00Z') };
    const { version, metrics } = await retrainRecommender({ interactions, courses, artifacts, clock, logger: silent }, { onProgress: (p) => progress.push(p) });
    expect(version).toBe(1);
    // Twenty events at one instant: nothing to learn a ranker from without looking ahead, and it says so.
    expect(metrics).toMatchObject({ messages: 1, ranker: 'untrained_blend', rankerWhy: expect.stringContaining('too few point-in-time rows'), generators: ['item_cf', 'ease', 'rp3beta', 'content'], skipped: {} });
    expect(progress.at(-1)).toBe(100);
    // Above the EASE course cap the retrain still serves, without EASE, and records why.
    const capped = await retrainRecommender({ interactions, courses, artifacts, clock, logger: silent }, { easeMaxItems: 1 });
    expect(capped.metrics).toMatchObject({ generators: ['item_cf', 'rp3beta', 'content'], skipped: { ease: expect.stringMatching(/^EASE skipped: \d+ courses .* above the 1-course cap/) } });
    expect((await retrainRecommender({ interactions, courses, artifacts, clock, logger: silent })).version).toBe(3);
    const latest = await artifacts.latest('recommender');
    expect(latest?.version).toBe(3);
    expect((latest?.data as RecommenderArtifact).courseIds).toEqual(expect.arrayContaining(ids));

    const recommender = createRecommender({ courses, artifacts, clock, logger: silent, signals: new PgServingSignals(db) });
    // A brand-new follower: cold start, labelled.
    const newcomer = (await followers.resolveIdentity({ kind: 'telegram', externalId: 'new' })).follower.id;
    const cold = await recommender.recommend(newcomer, { limit: 3 });
    expect(cold.length).toBeGreaterThan(0);
    expect(cold.every((r) => r.reason.code.startsWith('cold_start_'))).toBe(true);
    // One new event is reflected on the next request, without a retrain.
    await events.append([event(newcomer, ids[0]!, 'view')]);
    const warm = await recommender.recommend(newcomer, { limit: 2 });
    expect(warm[0]).toMatchObject({ courseId: ids[1], reason: { code: 'because_you_liked', params: { courseId: ids[0] } } });
    // No personalisation consent: labelled non-personalised.
    await followers.update(newcomer, { hasPersonalizationConsent: false });
    const plain = await recommender.recommend(newcomer, { limit: 2 });
    expect(plain.every((r) => r.reason.code === 'non_personalised_popular')).toBe(true);
    expect(systemClock.now()).toBeInstanceOf(Date);
    // Three full retrains, each with a full collection and a short yield at every stage boundary
    // (releaseGarbage): under the whole suite on two cores this came close to the default 60 s.
  }, 180_000);

  it('writes an artifact with large fields in one transaction, and reads back exactly what was saved', async () => {
    const artifacts = new PgModelArtifactRepository(database.db);
    const kind = `large-${randomUUID()}`;
    const large = Array.from({ length: 150_001 }, (_, i) => (i % 7) / 8);
    // Large fields of both kinds: many numbers, and a neighbour list's few long base64 strings.
    const base64 = Buffer.from(Float32Array.from(large).buffer).toString('base64');
    const ease = { offsets: Buffer.from(Int32Array.of(0, 2).buffer).toString('base64'), items: base64, sims: base64 };
    const data = { formatVersion: 4, courseIds: ['a', 'b'], popularity: large, ease, rules: [], note: '中文 and English', skipped: undefined };
    const saved = await artifacts.save({ kind, metrics: { rows: 2 }, data });
    const latest = await artifacts.latest(kind);
    expect(latest).toMatchObject({ id: saved.id, version: 1, metrics: { rows: 2 } });
    expect(latest?.data).toEqual(JSON.parse(JSON.stringify(data)));
    // A value that is not an object is stored whole.
    await artifacts.save({ kind, metrics: {}, data: large });
    expect((await artifacts.latest(kind))?.data).toEqual(large);
    // PostgreSQL refuses \u0000 in jsonb: the large field's statement fails, and nothing of that save remains.
    await expect(artifacts.save({ kind, metrics: {}, data: { courseIds: ['c'], ease: { items: [...large.map(String), '\u0000'] } } })).rejects.toThrow();
    expect((await artifacts.latest(kind))?.version).toBe(2);
  });
});
