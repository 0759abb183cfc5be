import { sql } from 'drizzle-orm';
import { segmentSchema } from '../../core/campaigns/index.js';
import { exportFollowerData, personaOf, type ScoredFollower } from '../../core/index.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { featuresAsOf, groupActivity, PROPENSITY_FEATURES, syntheticAudience, type PropensityArtifact } from '../../core/recommend/index.js';
import {
  createRepositories, PgConsoleUnitOfWork, PgEventRepository, PgFollowerScores, PgInteractionRepository, PgModelArtifactRepository, queryRows, type Database,
} from '../../models/index.js';
import { PgCampaignAudience } from '../../models/repositories/pg-campaign-audience.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TestClock } from '../support/http.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';

const DAY = 86_400_000;
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };
const feature = (name: (typeof PROPENSITY_FEATURES)[number]) => PROPENSITY_FEATURES.indexOf(name);

describe.each(testTargets())('purchase propensity and churn risk on %s', (target) => {
  let database: Database;
  const audience = syntheticAudience({ followers: 300, days: 120, seed: 3 });
  const clock = new TestClock(audience.end);
  const courseIds: string[] = [];
  let events = 0;

  const addEvents = async (rows: Array<{ followerId: string; kind: string; courseId: string | null; at: Date }>) => {
    const list = (pick: (r: (typeof rows)[number]) => string | null) => `{${rows.map((r) => (pick(r) === null ? 'NULL' : `"${pick(r)}"`)).join(',')}}`;
    const ids = rows.map(() => `p-${events++}`);
    await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at)
      SELECT f, k, 'api', x, c, t FROM unnest(${list((r) => r.followerId)}::uuid[], ${list((r) => r.kind)}::text[], ${`{${ids.join(',')}}`}::text[],
        ${list((r) => r.courseId)}::uuid[], ${list((r) => r.at.toISOString())}::timestamptz[]) AS u(f, k, x, c, t)`);
  };
  const daysAgo = (days: number) => new Date(clock.now().getTime() - days * DAY);
  const scoreOf = async (followerId: string) =>
    (await queryRows<{ purchase_propensity: number; purchase_top_percent: number; churn_band: string }>(database.db, sql`SELECT * FROM follower_scores WHERE follower_id = ${followerId}::uuid`))[0];

  beforeAll(async () => {
    database = await openTestDatabase(target);
    // Three price tiers, as the synthetic audience has (course-i is tier i mod 3).
    for (const price of [4_900, 19_900, 59_900]) {
      const [row] = await queryRows<{ id: string }>(
        database.db,
        sql`INSERT INTO courses (slug, title_zh, title_en, price_minor, status) VALUES (${`prop-${price}`}, ${`课程${price}`}, ${`Course ${price}`}, ${price}, 'on_sale') RETURNING id`,
      );
      courseIds.push(row!.id);
    }
  });
  afterAll(() => database.close());

  it('computes features as of a cut-off from events before it only', async () => {
    const [follower] = await seedFollowers(database.db, 1, { prefix: '71000' });
    const cutoff = daysAgo(15);
    await addEvents([
      { followerId: follower!, kind: 'view', courseId: courseIds[0]!, at: daysAgo(40) },
      { followerId: follower!, kind: 'click', courseId: courseIds[0]!, at: daysAgo(20) },
    ]);
    const activity = new PgInteractionRepository(database.db);
    const read = async () => groupActivity(await activity.listActivity({ afterId: 0, limit: 100_000 })).get(follower!)!;
    const courses = new Map((await createRepositories(database.db).courses.list({ page: 1, pageSize: 50 })).items.map((c) => [c.id, c]));
    const before = featuresAsOf(await read(), courses, cutoff);

    await addEvents([
      { followerId: follower!, kind: 'purchase', courseId: courseIds[0]!, at: daysAgo(10) },
      { followerId: follower!, kind: 'view', courseId: courseIds[1]!, at: daysAgo(2) },
      { followerId: follower!, kind: 'purchase', courseId: courseIds[1]!, at: new Date(cutoff.getTime()) },
    ]);
    const after = featuresAsOf(await read(), courses, cutoff);
    expect(after).toEqual(before);
    expect(before![feature('net_purchases')]).toBe(0);
    expect(before![feature('recency_days')]).toBeCloseTo(Math.log1p(5), 6);
    // As of now the later events count.
    expect(featuresAsOf(await read(), courses, clock.now())![feature('net_purchases')]).toBeCloseTo(Math.log1p(2), 6);
    expect(featuresAsOf(await read(), courses, daysAgo(50))).toBeNull();
  });

  it('trains at retrain time, stores the models, and scores a clearly likelier follower above an unlikely one', async () => {
    const members = [...new Set(audience.events.map((e) => e.followerId))];
    const ids = await seedFollowers(database.db, members.length, { prefix: '72000', locale: 'en' });
    const idOf = new Map(members.map((m, i) => [m, ids[i]!]));
    const rows = audience.events.map((e) => ({ followerId: idOf.get(e.followerId)!, kind: e.kind, courseId: e.courseId && courseIds[Number(e.courseId.split('-')[1]) % 3]!, at: e.occurredAt }));
    for (let i = 0; i < rows.length; i += 5000) await addEvents(rows.slice(i, i + 5000));

    const [likely, unlikely] = await seedFollowers(database.db, 2, { prefix: '73000', locale: 'en' });
    const busy = Array.from({ length: 30 }, (_, d) => [
      { followerId: likely!, kind: 'view', courseId: courseIds[d % 3]!, at: daysAgo(30 - d) },
      { followerId: likely!, kind: 'click', courseId: courseIds[d % 3]!, at: daysAgo(30 - d - 0.1) },
      ...(d % 8 === 0 ? [{ followerId: likely!, kind: 'purchase', courseId: courseIds[d % 3]!, at: daysAgo(30 - d - 0.2) }] : []),
    ]).flat();
    await addEvents([...busy, { followerId: unlikely!, kind: 'view', courseId: courseIds[2]!, at: daysAgo(80) }]);

    // The model-retrain job's retrain: the recommender, then the propensity models and scores.
    const { retrain } = buildRecommender({ db: database.db, repos: createRepositories(database.db), clock, logger: silent });
    const trained = await retrain();
    const metrics = trained.metrics['propensity'] as Record<string, unknown>;
    const artifacts = new PgModelArtifactRepository(database.db);
    const stored = (await artifacts.latest('propensity'))!;
    expect(stored.version).toBe(metrics['version']);
    const artifact = stored.data as PropensityArtifact;
    expect(artifact.purchase?.weights).toHaveLength(PROPENSITY_FEATURES.length);
    expect(artifact.validation.purchase.report!.auc).toBeGreaterThan(0.7);
    expect(artifact.validation.churn.report!.auc).toBeGreaterThan(0.8);
    expect(metrics['scored']).toBe(members.length + 3);

    const [high, low] = [await scoreOf(likely!), await scoreOf(unlikely!)];
    expect(high!.purchase_propensity).toBeGreaterThan(low!.purchase_propensity);
    expect(high!.purchase_top_percent).toBeLessThanOrEqual(10);
    expect(low!.purchase_top_percent).toBeGreaterThan(50);
    expect(high!.churn_band).toBe('low');
    expect(low!.churn_band).toBe('high');
  });

  describe('segments and the persona read the scores', () => {
    let followers: string[];
    const audienceRepo = () => new PgCampaignAudience(database.db);
    const selected = async (segment: unknown) =>
      new Set((await audienceRepo().page(segmentSchema.parse({ locales: ['zh-CN'], ...(segment as object) }), clock.now(), { afterFollowerId: null, limit: 100 })).map((m) => m.followerId));
    const named = (...indexes: number[]) => new Set(indexes.map((i) => followers[i]!));

    beforeAll(async () => {
      followers = await seedFollowers(database.db, 10, { prefix: '74000', locale: 'zh-CN' });
      // Follower i: propensity (10 − i)/10, so 0 is the likeliest; churn risk i/10.
      const scored: ScoredFollower[] = followers.map((id, i) => ({
        followerId: id, purchasePropensity: (10 - i) / 10, purchaseTopPercent: (i + 1) * 10, churnRisk: i / 10, churnBand: i >= 6 ? 'high' : i >= 3 ? 'medium' : 'low',
      }));
      await new PgFollowerScores(database.db).replaceAll(scored, { modelVersion: 99, horizonDays: 14, scoredAt: clock.now() });
    });

    it('minPurchasePropensity and churnRisk select exactly the followers the scores say', async () => {
      expect(await selected({ minPurchasePropensity: 0.75 })).toEqual(named(0, 1, 2));
      expect(await selected({ churnRisk: 'high' })).toEqual(named(6, 7, 8, 9));
      expect(await selected({ churnRisk: ['low', 'medium'] })).toEqual(named(0, 1, 2, 3, 4, 5));
      expect(await selected({ minPurchasePropensity: 0.35, churnRisk: 'medium' })).toEqual(named(3, 4, 5));
      // The earlier run's followers are no longer scored: replaceAll keeps one run.
      expect((await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM follower_scores`))[0]!.n).toBe(10);
    });

    it('topPropensityPercent takes the most likely share of the reachable audience, after the other conditions', async () => {
      expect(await selected({ topPropensityPercent: 20 })).toEqual(named(0, 1));
      expect(await audienceRepo().count(segmentSchema.parse({ locales: ['zh-CN'], topPropensityPercent: 20 }), clock.now())).toBe(2);
      // A follower who cannot be sent marketing is not in the audience, so the share moves down the list.
      await database.db.execute(sql`UPDATE followers SET is_opted_out = true WHERE id = ${followers[0]!}::uuid`);
      expect(await selected({ topPropensityPercent: 20 })).toEqual(named(1, 2));
      // Of the high-churn four, the top half by propensity; 25 % of 9 rounds up to 3.
      expect(await selected({ churnRisk: 'high', topPropensityPercent: 50 })).toEqual(named(6, 7));
      expect(await selected({ topPropensityPercent: 25 })).toEqual(named(1, 2, 3));
      await database.db.execute(sql`UPDATE followers SET is_opted_out = false WHERE id = ${followers[0]!}::uuid`);
    });

    it('refuses conditions out of range, in words', () => {
      expect(segmentSchema.safeParse({ minPurchasePropensity: 1.5 }).success).toBe(false);
      expect(segmentSchema.safeParse({ churnRisk: 'extreme' }).success).toBe(false);
      expect(segmentSchema.safeParse({ topPropensityPercent: 0 }).success).toBe(false);
    });

    it('the persona shows propensity and churn risk in words, in Chinese and English', async () => {
      const events = new PgEventRepository(database.db);
      const likeliest = await personaOf({ events, clock }, { id: followers[0]!, timeZone: 'UTC' });
      expect(likeliest.outlook.en).toBe('likely to buy in the next 14 days (top 10 %); likely to stay active');
      expect(likeliest.outlook['zh-CN']).toBe('很可能在 14 天内购买（前 10%）；很可能继续活跃');
      expect(likeliest.scores).toMatchObject({ purchasePropensity: 1, purchaseTopPercent: 10, churnRisk: 0, horizonDays: 14 });
      const leaving = await personaOf({ events, clock }, { id: followers[9]!, timeZone: 'UTC' });
      // 0.1 is where "may buy" starts (PURCHASE_PROPENSITY_WORDS).
      expect(leaving.outlook.en).toBe('may buy in the next 14 days (top 100 %); at risk of leaving');
      expect(leaving.outlook['zh-CN']).toBe('14 天内可能购买（前 100%）；有流失风险');
      const [unscored] = await seedFollowers(database.db, 1, { prefix: '75000' });
      const none = await personaOf({ events, clock }, { id: unscored!, timeZone: 'UTC' });
      expect(none.scores).toBeNull();
      expect(none.outlook.en).toMatch(/^Not scored yet/);
    });

    it("is part of the follower's data export (PIPL/GDPR)", async () => {
      const exported = await exportFollowerData({ uow: new PgConsoleUnitOfWork(database.db) }, followers[1]!, 'test');
      expect(exported.scores).toMatchObject({ purchase_propensity: 0.9, purchase_top_percent: 20, churn_band: 'low', model_version: 99 });
    });
  });
});
